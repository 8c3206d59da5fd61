"""Documents API (see API.md): one router per part, mounted together under /api/v1.

- register.py: the register, generating and uploading letters, the file, cancelling, signing;
- verify.py: public verification of any PDF, and the register's record behind a QR code;
- statements.py: a circular's statement letters and who has not signed;
- certificates.py: signing certificates (agency CA, PKCS#12, remote) and number formats.
"""

from ninja import Router

from . import certificates, register, statements, verify

router = Router(tags=["documents"])
router.add_router("", register.router)
router.add_router("", statements.router)
router.add_router("", certificates.router)
router.add_router("", verify.router)
