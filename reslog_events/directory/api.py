from ..core.api import api_blueprint

bp = api_blueprint("directory_api", __name__)
