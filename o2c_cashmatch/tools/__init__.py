from . import row_copy
