from . import platform
