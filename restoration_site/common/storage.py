"""Where uploads live: this machine's disk, or S3-compatible object storage shared by every web
process (django-storages, chosen in settings by `S3_BUCKET`). Code here keeps that difference
out of views.

django-storages and boto3 are imported only when object storage is in use: a site on local disk
never pays for loading them.
"""

from urllib.parse import urlsplit

from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def bucket_origin(
    *, bucket: str, endpoint_url: str | None, region_name: str, addressing_style: str
) -> str:
    """The origin (scheme://host[:port]) of the URLs S3Storage writes for this bucket's objects.

    Asked of botocore itself, because it alone decides between a virtual-hosted and a path-style
    address, and between the global and the regional host, by rules that change between versions.
    No request is made and no credentials are needed.
    """
    import boto3
    import botocore
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        region_name=region_name,
        endpoint_url=endpoint_url,
        config=Config(
            signature_version=botocore.UNSIGNED, s3={"addressing_style": addressing_style}
        ),
    )
    url = urlsplit(
        client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    )
    return f"{url.scheme}://{url.netloc}"


def signs_urls(storage: Storage) -> bool:
    """Whether the storage is object storage that can hand out short-lived signed URLs."""
    if isinstance(storage, FileSystemStorage):
        return False
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def private_download(
    field_file: FieldFile, *, filename: str, as_attachment: bool = True
) -> HttpResponse:
    """A private file, as a download (or, with `as_attachment=False`, to show in the page), for
    someone the caller has already allowed to see it.

    In object storage: a redirect to a signed URL that stops working after the storage's
    `querystring_expire` seconds (S3_SIGNED_URL_SECONDS), so the file never passes through a
    web process and a copied address is soon useless. The redirect is never cached and never
    tells the object store which admin page it came from. On disk: the file itself. A file
    that has gone is a 404 either way.
    """
    storage = field_file.storage
    if signs_urls(storage):
        if not storage.exists(field_file.name):
            raise Http404("File not found")
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(
                    as_attachment=as_attachment, filename=filename
                )
            },
            expire=storage.querystring_expire,
        )
        response = HttpResponseRedirect(url)
        response["Referrer-Policy"] = "no-referrer"
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404("File not found") from None
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename)
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
