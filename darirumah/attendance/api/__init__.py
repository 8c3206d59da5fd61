"""The attendance app's routers, one module per area, mounted by darirumah/api.py."""

from . import checkin, recap, records, vicon

routers = [checkin.router, records.router, vicon.router, recap.router]
