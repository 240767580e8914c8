"""Settings for the page benchmark: the site as in production, plus the "floor" URL."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor"
