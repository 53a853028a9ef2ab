from django.conf import settings


def portal(request):
    """Values every page needs: the secretariat's address for the footer."""
    return {"SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL}
