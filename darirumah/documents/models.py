"""Letters and electronic signatures (issue 7): the document register with every version of every
file, the signers of each document in order, the signing certificates (the agency's development
CA, imported PKCS#12 from a certification authority, or a remote signing service) and the
agency's numbering formats.

A signature is a PAdES signature embedded in the PDF (pyHanko); each one is an incremental
update, so every signed version is kept as a DocumentRevision with its SHA-256 and the register
can tell for any file which document and which version it is.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from darirumah.core.models import TimeStamped
from darirumah.org.models import Agency, Employee, Unit, User


class Kind(models.TextChoices):
    CIRCULAR = "circular", _("WFH circular")
    STATEMENT = "statement", _("Statement letter")
    EVALUATION = "evaluation", _("Month-end evaluation")
    RECAP = "recap", _("Daily recap")
    DISCIPLINE = "discipline", _("Discipline decision")
    UPLOAD = "upload", _("Uploaded document")


class AgencyCA(TimeStamped):
    """The agency's own certification authority, created by the program for development and the
    demo. Certificates it issues are electronic signatures without a certificate from a
    certification authority recognised by the state: never legally certified (PP 71/2019)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="signing_ca")
    certificate_pem = models.TextField(_("certificate"))
    key_encrypted = models.TextField(_("private key (encrypted)"))
    crl_number = models.PositiveIntegerField(_("CRL number"), default=0)
    # The current revocation list (DER), made when a certificate is revoked and renewed daily:
    # verification, open to anyone, never signs one itself on every request.
    crl_der = models.BinaryField(_("revocation list"), blank=True, default=b"")
    crl_made_at = models.DateTimeField(_("revocation list made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency certification authority")
        verbose_name_plural = _("agency certification authorities")

    def __str__(self):
        return str(self.agency)


class SigningCertificate(TimeStamped):
    """A certificate a user signs with, and where the private key is."""

    class Source(models.TextChoices):
        AGENCY_CA = "agency_ca", _("Agency CA (development, not legally certified)")
        PKCS12 = "pkcs12", _("Imported PKCS#12 from a certification authority")
        REMOTE = "remote", _("Remote signing service")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signing_certificates")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    subject = models.CharField(_("subject"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=300)
    serial = models.CharField(_("serial number"), max_length=64)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    certificate_pem = models.TextField(_("certificate"))
    chain_pem = models.TextField(_("certificate chain"), blank=True)
    # Agency CA: the key, encrypted with the server's key. PKCS#12: the file as given (still
    # protected by its passphrase, asked at every signature), encrypted again at rest.
    key_encrypted = models.TextField(_("private key (encrypted)"), blank=True)
    pkcs12_encrypted = models.TextField(_("PKCS#12 (encrypted)"), blank=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["key_encrypted", "pkcs12_encrypted"])

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["user", "-not_before", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="signcert_user_revoked")]
        constraints = [
            # Per user: someone registering another person's identity must not lock them out.
            models.UniqueConstraint(fields=["user", "fingerprint"], name="signcert_unique_per_user")
        ]

    def __str__(self):
        return f"{self.subject} ({self.serial})"


class LetterFormat(models.Model):
    """How an agency numbers one kind of letter, e.g. "{seq}/{code}/{unit}/{month_roman}/{year}"
    (documents.rules.numbering). The sequence starts again every year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="letter_formats")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    pattern = models.CharField(_("number pattern"), max_length=120)
    code = models.CharField(_("classification code"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter format")
        verbose_name_plural = _("letter formats")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="letterformat_unique_kind")
        ]

    def __str__(self):
        return f"{self.agency}: {self.get_kind_display()}"


class NumberSequence(models.Model):
    """The last number given to a kind of letter in a year (taken under a row lock)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "year"], name="numbersequence_unique_year"
            )
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last}"


class Document(TimeStamped):
    """One registered document: its number, its current file and hash, where it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting signatures")
        SIGNED = "signed", _("Signed")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The verification code printed in the QR stamp: unguessable, so the public verification
    # page shows the register's record only to whoever holds the document.
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    circular = models.ForeignKey(
        "policy.Circular",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("circular"),
    )
    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("employee"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("unit"),
    )
    period = models.CharField(_("period"), max_length=10, blank=True)  # YYYY-MM or YYYY-MM-DD
    source_id = models.PositiveIntegerField(null=True, blank=True)  # e.g. the discipline case
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_sha256 = models.CharField(_("SHA-256 before signing"), max_length=64)
    # Where each signer's stamp goes, in signing order: [{"page": 0-based, "box": [x1, y1, x2,
    # y2]}] in PDF points; the letter templates reserve these places, an upload gets the bottom
    # of its last page.
    stamp_boxes = models.JSONField(default=list, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=~Q(number="") & ~Q(status="cancelled"),
                name="document_unique_number",
            ),
            models.UniqueConstraint(
                fields=["circular", "employee"],
                condition=Q(kind="statement") & ~Q(status="cancelled"),
                name="document_one_statement",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "kind", "status"], name="document_kind_status"),
            models.Index(fields=["circular", "kind"], name="document_circular_kind"),
        ]

    def __str__(self):
        return f"{self.number or self.code} — {self.title}"


class DocumentRevision(models.Model):
    """One version of a document's file: 0 as generated or uploaded, then one per signature."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_unique_number")
        ]

    def __str__(self):
        return f"{self.document_id} v{self.number}"


class Signer(models.Model):
    """A person who signs a document, in order: the head, then BKPSDM."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SIGNED = "signed", _("Signed")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signers")
    order = models.PositiveSmallIntegerField(_("order"))
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    certificate = models.ForeignKey(
        SigningCertificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("certificate"),
    )
    field_name = models.CharField(max_length=60, blank=True)
    timestamped = models.BooleanField(_("time-stamped (RFC 3161)"), default=False)
    revision = models.OneToOneField(
        DocumentRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="signer"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="signer_unique_order"),
            models.UniqueConstraint(fields=["document", "user"], name="signer_unique_user"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="signer_user_status")]

    def __str__(self):
        return f"{self.document_id} #{self.order} {self.name}"
