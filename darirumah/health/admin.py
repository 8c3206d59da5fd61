"""No admin pages for health data: names are read only through the logged pages and API."""
