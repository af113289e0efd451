"""Inductor's precompiled headers in the private cache, for every worker that runs PyTorch.

torch builds them (150-600 MB) under `$TMPDIR/torchinductor_<user>/precompiled_headers`, a
path it fixes when `torch._inductor.codecache` is imported (`_HEADER_DIR`) and that no setting
moves. A worker's `$TMPDIR` is private and removed when it ends, so the worker points that
path into the cache (TORCH_HEADERS_ENV, set by worker_env), where later runs reuse it. If a
torch release drops the attribute, the headers land in the private `$TMPDIR` and are rebuilt
per process: slower, and nothing is left behind. The caller passes the module, so this
package never imports torch itself.
"""

from __future__ import annotations

import os
from types import ModuleType

from fwadvisor.registry import TORCH_HEADERS_ENV


def wanted() -> bool:
    """Whether this worker was given a headers folder (import codecache only then)."""
    return bool(os.environ.get(TORCH_HEADERS_ENV))


def keep_in_cache(codecache: ModuleType) -> bool:
    """Point `torch._inductor.codecache`'s headers folder into the cache; True if it did."""
    headers = os.environ.get(TORCH_HEADERS_ENV)
    if not headers or not hasattr(codecache, "_HEADER_DIR"):
        return False
    setattr(codecache, "_HEADER_DIR", headers)  # noqa: B010 (a private attribute of torch's)
    setattr(codecache, "_HEADER_LOCK_DIR", os.path.join(headers, "locks"))  # noqa: B010
    return True
