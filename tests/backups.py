"""What a restore must bring back, as a script for `manage.py shell -c` on the site under test:
it prints every enquiry, note and photo (by content) as JSON, to compare before and after."""

FINGERPRINT = """
import hashlib, json
from bookings.models import ConsultationRequest, EnquiryNote, EnquiryPhoto
print(json.dumps({
    "enquiries": sorted(ConsultationRequest.objects.values_list(
        "reference", "full_name", "email", "clinic__slug"
    )),
    "notes": sorted(EnquiryNote.objects.values_list("request__reference", "text")),
    "photos": sorted(
        (photo.request.reference, hashlib.sha256(photo.image.read()).hexdigest())
        for photo in EnquiryPhoto.objects.select_related("request")
    ),
}))
"""
