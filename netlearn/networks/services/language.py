"""A network's default language: its people's pages are in it unless they choose their own."""

from django.utils.translation import gettext as _

from netlearn.core.languages import is_language
from netlearn.core.policy import require

from .. import policy
from ..errors import NetworkError
from ..models import Network


def set_network_language(*, network: Network, by, language: str) -> Network:
    """Records the network's default language; blank hands it back to the country's (en-GB for
    England, en-NZ for New Zealand: networks/country.py). Co-leaders decide."""
    require(policy.can_manage_network(by, network))
    if language and not is_language(language):
        raise NetworkError(_("Netlearn does not speak that language yet."))
    network.language = language
    network.save(update_fields=["language"])
    return network
