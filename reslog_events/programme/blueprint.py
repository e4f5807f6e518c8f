"""The programme's page blueprint, shared by its page modules (`views` imports them all)."""

from flask import Blueprint

bp = Blueprint("programme", __name__)
