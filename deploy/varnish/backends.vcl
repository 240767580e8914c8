# Newsroom's app servers behind Varnish (included by newsroom.vcl). Copy this file into a
# directory of your own, name your servers, and put that directory first in vcl_path; the
# multi-node test writes its own.

# Who may send PURGE: the app servers (VARNISH_PURGE_URLS points them here).
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.11";
    "10.0.0.12";
}

probe newsroom_ready {
    # Readiness: the server answers and reaches its database and cache.
    .request =
        "GET /readyz HTTP/1.1"
        "Host: news.example.org"
        "X-Forwarded-Proto: https"
        "Connection: close";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = newsroom_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = newsroom_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new newsroom = directors.round_robin();
    newsroom.add_backend(app1);
    newsroom.add_backend(app2);
}
