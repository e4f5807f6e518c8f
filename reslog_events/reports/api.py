from ..core.api import api_blueprint

bp = api_blueprint("reports_api", __name__)
