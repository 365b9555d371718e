from . import o2c_dunning_ladder
from . import o2c_dunning_level
from . import o2c_dunning_promise
from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
