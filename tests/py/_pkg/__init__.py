PKG_INIT = True
from . import sub
from .sub import subfunc as aliased
