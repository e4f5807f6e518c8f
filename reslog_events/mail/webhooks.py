from flask import Blueprint

bp = Blueprint("mail_webhooks", __name__)
