"""The seed commands load the programme's facts and the demo's logins."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from clusters.models import Cluster
from events.models import Event


@pytest.mark.django_db
def test_seed_loads_the_five_thematic_clusters_and_the_2018_programme_once():
    call_command("seed")
    call_command("seed")

    assert Cluster.objects.filter(kind="thematic").count() == 5
    assert set(Cluster.objects.filter(status="forming").values_list("slug", flat=True)) == {
        "smart-mobility",
        "smart-utility-waste",
    }
    assert Event.objects.count() == 5
    summit = Event.objects.get(slug="seoul-wego-global-digital-summit-2018")
    assert summit.starts_at.isoformat() == "2018-09-18T00:00:00+00:00"  # 09:00 in Seoul


@pytest.mark.django_db
def test_seed_demo_creates_a_verified_login_for_every_role(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")

    output = capsys.readouterr().out
    for email in ["official@demo.wego.example", "company@demo.wego.example", "staff@demo.wego.example"]:
        assert email in output
        user = User.objects.get(email=email)
        assert user.check_password("wego-demo-2026")
        assert EmailAddress.objects.get(user=user).verified
    assert User.objects.get(email="official@demo.wego.example").organisation.kind == "city"
    assert User.objects.get(email="company@demo.wego.example").organisation.kind == "company"
    assert User.objects.get(email="staff@demo.wego.example").is_staff
    assert Event.objects.upcoming().exists()


@pytest.mark.django_db
def test_seed_demo_refuses_to_publish_demo_passwords_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
