from . import o2c_dispute
