from ..core.api import api_blueprint

bp = api_blueprint("invitations_api", __name__)
