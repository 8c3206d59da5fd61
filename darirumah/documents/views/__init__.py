"""Documents pages, one module per part: the register, signing, public verification, the
statement letters of a circular, certificates and number formats."""

from . import certificates, register, signing, statements, verify

# Fixed addresses first: "sign/", "verify/"… before the register's "<int:pk>/".
urlpatterns: list = [
    *signing.urlpatterns,
    *verify.urlpatterns,
    *statements.urlpatterns,
    *certificates.urlpatterns,
    *register.urlpatterns,
]
