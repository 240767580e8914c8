# Varnish in front of Newsroom's app servers (Debian: varnish + varnish-modules for xkey).
#
# What it caches is what the app says may be shared: anonymous GETs whose Cache-Control
# is public (pages send "public, max-age=0, s-maxage=N, stale-while-revalidate=M", hashed
# static files a long max-age). Everything else goes to an app server: signed-in staff,
# the admin, comment posts. Pages are tagged with the app's Surrogate-Key header and purged
# by it (articles/purgers.py VarnishPurger sends "PURGE" with an xkey header).
#
# What differs from one site to the next lives in backends.vcl: the app servers, how
# requests are shared among them, and the "purgers" ACL of addresses allowed to purge
# (the app servers; anyone else could empty the cache at will). deploy/varnish/backends.vcl
# shows the shape: run varnishd with -p vcl_path naming the directory that holds your own
# first, then this one.

vcl 4.1;

import directors;
import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = newsroom.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            set req.http.n-gone = xkey.purge(req.http.xkey);
        } elsif (req.http.xkey-softpurge) {
            # Stale at once, still served while the new copy is fetched (grace).
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Name the surrogate keys in an xkey header"));
        }
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.http.Authorization) {
        return (pass);
    }
    # The same two cookies the app's own page cache steps aside for: a signed-in session
    # (staff see drafts and moderation controls) and a pending message ("Comment posted").
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Any other cookie (analytics, an old csrftoken) changes nothing on a public page and
    # would otherwise make every reader's copy their own.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # xkey reads its tags from the xkey header; the app names them for every cache.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only what the app marks public is shared; a view that says nothing is not cached
    # (Varnish's own default would keep it for two minutes). The decision itself is
    # remembered for a while, so such URLs go straight to the app.
    if (beresp.http.Cache-Control !~ "(^|,)\s*public" || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # s-maxage sets the time to live and stale-while-revalidate the grace (Varnish reads
    # both from Cache-Control); Set-Cookie still makes a response private (built-in VCL).
}

sub vcl_backend_error {
    # An app server that died mid-request: a reader's GET is tried once more on another.
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
