NAV = [("政策参数", "params:index", "params.change")]
