"""The running build: BUILD_COMMIT and BUILD_DATE (set by the image), else git, else "unknown"."""

import functools
import subprocess

from django.conf import settings

UNKNOWN = "unknown"


def _git(*args: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), *args], capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


@functools.cache
def build() -> dict[str, str]:
    """Read once, when first asked (at start-up: the footer of the first page)."""
    commit = settings.BUILD_COMMIT or _git("rev-parse", "--short=12", "HEAD") or UNKNOWN
    # Without a build date, the commit's own date is the closest truth git knows.
    date = settings.BUILD_DATE or (_git("show", "-s", "--format=%cI", "HEAD") if commit != UNKNOWN else "") or UNKNOWN
    return {"commit": commit, "build_date": date}


def version(request):
    """Template context: ``build`` for the page footer."""
    return {"build": build()}
