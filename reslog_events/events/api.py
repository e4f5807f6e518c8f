from ..core.api import api_blueprint

bp = api_blueprint("events_api", __name__)
