"""The school lead's page to import the school's roster, and the sign-in slips it makes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from netlearn.networks import selectors as network_selectors

from . import policy, services
from .errors import ChooseOrg, RosterRefused
from .forms import RosterImportForm


@login_required
@never_cache
def import_roster(request, school_id):
    school = network_selectors.school_for(viewer=request.user, school_id=school_id)
    if not policy.can_import_roster(request.user, school):
        raise PermissionDenied
    form = RosterImportForm(request.POST or None, request.FILES or None)
    context = {"school": school, "form": form, "problems": [], "orgs": [], "total": 0}
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_roster(
                school=school,
                by=request.user,
                file=form.cleaned_data["file"],
                org_id=form.cleaned_data["org"] or None,
            )
        except RosterRefused as refused:
            context.update(problems=refused.problems, total=refused.total)
        except ChooseOrg as choose:
            context.update(choose=str(choose), orgs=choose.orgs)
        else:
            # The passwords are on this page only (accounts.pupils): it is never cached.
            return render(request, "rostering/result.html", {"school": school, "result": result})
    status = 400 if request.method == "POST" else 200
    return render(request, "rostering/import.html", context, status=status)
