from flask import Blueprint

bp = Blueprint("mail_dev", __name__)
