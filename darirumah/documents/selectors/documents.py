"""Reads of the register: the documents a caller may see, one document with its signers and
versions, and the documents waiting for the caller's signature."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from darirumah.org.access import Access

from ..models import Document, DocumentRevision, Signer, SigningCertificate


def documents_visible(access: Access) -> QuerySet[Document]:
    """The caller's documents, without duplicates from the signer join."""
    return Document.objects.filter(
        pk__in=Document.objects.filter(access.documents_q()).values("pk")
    )


def _next_signer_q() -> Q:
    """The signer whose turn it is: waiting, with nobody waiting before them."""
    earlier = Signer.objects.filter(
        document_id=OuterRef("document_id"),
        order__lt=OuterRef("order"),
        status=Signer.Status.WAITING,
    )
    return Q(status=Signer.Status.WAITING) & ~Q(Exists(earlier))


def with_signers(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("agency", "unit", "employee", "circular").prefetch_related(
        Prefetch("signers", queryset=Signer.objects.order_by("order"))
    )


def document_list(
    *,
    access: Access,
    kind: str = "",
    status: str = "",
    q: str = "",
    circular_id: int | None = None,
    unit_id: int | None = None,
) -> QuerySet[Document]:
    qs = documents_visible(access)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if circular_id:
        qs = qs.filter(circular_id=circular_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return with_signers(qs).order_by("-created_at", "-pk")


def document_detail(access: Access, pk: int) -> Document | None:
    return (
        with_signers(documents_visible(access))
        .prefetch_related(
            Prefetch("revisions", queryset=DocumentRevision.objects.order_by("number")),
            Prefetch(
                "signers__certificate",
                queryset=SigningCertificate.objects.defer("key_encrypted", "pkcs12_encrypted"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def sign_inbox(access: Access) -> QuerySet[Document]:
    """Documents awaiting the caller's signature now (their turn has come)."""
    if access.user is None or not access.user.pk:
        return Document.objects.none()
    mine = Signer.objects.filter(_next_signer_q(), user_id=access.user.pk)
    qs = Document.objects.filter(status=Document.Status.PENDING, pk__in=mine.values("document_id"))
    return with_signers(qs).order_by("created_at", "pk")


def waiting_later(access: Access) -> QuerySet[Document]:
    """Documents the caller will sign once the people before them have signed."""
    if access.user is None or not access.user.pk:
        return Document.objects.none()
    now = Signer.objects.filter(_next_signer_q(), user_id=access.user.pk)
    mine = Signer.objects.filter(user_id=access.user.pk, status=Signer.Status.WAITING).exclude(
        pk__in=now.values("pk")
    )
    qs = Document.objects.filter(status=Document.Status.PENDING, pk__in=mine.values("document_id"))
    return with_signers(qs).order_by("created_at", "pk")


def signed_statements(access: Access) -> QuerySet[Document]:
    """The statement letters the caller has signed, the newest first."""
    if access.user is None or not access.user.pk:
        return Document.objects.none()
    return (
        Document.objects.filter(
            kind="statement",
            signers__user_id=access.user.pk,
            signers__status=Signer.Status.SIGNED,
        )
        .select_related("agency", "circular")
        .order_by("-updated_at", "-pk")
    )


def next_signer(document: Document) -> Signer | None:
    """From prefetched signers: whose turn it is."""
    return next((s for s in document.signers.all() if s.status == Signer.Status.WAITING), None)


def default_certificate(user) -> SigningCertificate | None:
    """The certificate a signature uses unless one is named: the newest not revoked, else the
    newest (which signing then refuses with its reason); None when the user has none yet."""
    mine = SigningCertificate.objects.filter(user=user).defer("key_encrypted", "pkcs12_encrypted")
    return (
        mine.filter(revoked_at__isnull=True).order_by("-not_before", "-pk").first()
        or mine.order_by("-not_before", "-pk").first()
    )


def certificates_visible(access: Access, *, agency_id: int | None = None):
    """The caller's own certificates; BKPSDM sees the agency's."""
    qs = SigningCertificate.objects.defer("key_encrypted", "pkcs12_encrypted").select_related(
        "user"
    )
    if agency_id is not None and access.manages_certificates(agency_id):
        return qs.filter(agency_id=agency_id).order_by("user__username", "-not_before")
    return qs.filter(user_id=access.user.pk).order_by("-not_before", "-pk")
