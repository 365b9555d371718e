from . import o2c_dispute
from . import account_move
