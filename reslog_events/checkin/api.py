from ..core.api import api_blueprint

bp = api_blueprint("checkin_api", __name__)
