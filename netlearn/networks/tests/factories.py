import factory

from netlearn.accounts.models import Kind, Person
from netlearn.networks.models import Country, Network, NetworkKind, Phase, School


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.org")
    kind = Kind.STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(person, create, extracted, **kwargs):
        if create:
            person.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School {n}")
    country = Country.ENGLAND
    reference = factory.Sequence(lambda n: str(100000 + n))
    phase = Phase.PRIMARY
    establishment_type = "Community school"
    authority = "Northshire"
    setting = "urban"
    roll = 210


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    kind = NetworkKind.NLC
