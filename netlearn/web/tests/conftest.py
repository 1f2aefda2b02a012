import pytest
from django.test import Client


@pytest.fixture(scope="module")
def openapi():
    """The API's own document, as it is served: read once for each module of the walks (it reads
    no database)."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert len(document["paths"]) >= 15  # the walks really walk something
    return document
