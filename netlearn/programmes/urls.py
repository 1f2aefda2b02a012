from django.urls import path

from . import views

app_name = "programmes"
N = "n/<slug:network_slug>/learning/"
P = N + "programmes/<int:learning_programme_id>/"
W = P + "waves/<int:wave_number>/"
R = N + "relationships/<int:support_relationship_id>/"
C = N + "courses/<int:learning_course_id>/"
E = C + "enrolments/<int:course_enrolment_id>/"
I = N + "induction/<int:induction_plan_id>/"  # noqa: E741

urlpatterns = [
    path(N, views.index, name="index"),
    path(N + "programmes/new/", views.create_programme, name="create_programme"),
    path(P, views.programme, name="programme"),
    path(P + "waves/", views.start_wave, name="start_wave"),
    path(W + "coaches/", views.add_coach, name="add_coach"),
    path(W + "trainees/", views.add_trainee, name="add_trainee"),
    path(W + "schools/", views.add_wave_school, name="add_wave_school"),
    path(W + "sessions/", views.add_wave_session, name="add_wave_session"),
    path(W + "places/<int:wave_place_id>/complete/", views.complete_place, name="complete_place"),
    path(N + "relationships/new/", views.create_relationship, name="create_relationship"),
    path(R, views.relationship, name="relationship"),
    path(R + "notes/", views.write_note, name="write_note"),
    path(R + "sessions/", views.log_session, name="log_session"),
    path(N + "courses/new/", views.create_course, name="create_course"),
    path(C, views.course, name="course"),
    path(C + "enrol/", views.enrol, name="enrol"),
    path(
        C + "modules/<int:course_module_number>/session/",
        views.schedule_module,
        name="schedule_module",
    ),
    path(E + "withdraw/", views.withdraw, name="withdraw"),
    path(E + "cascade/", views.record_cascade, name="record_cascade"),
    path(E + "evidence/", views.add_evidence, name="add_evidence"),
    path(E + "certificate/", views.certificate, name="certificate"),
    path(N + "induction/new/", views.create_induction, name="create_induction"),
    path(N + "induction/checklist/", views.checklist, name="checklist"),
    path(I, views.induction, name="induction"),
    path(I + "tasks/<int:induction_task_id>/", views.tick, name="tick"),
    path(I + "meetings/", views.add_meeting, name="add_meeting"),
    path(I + "mentor/", views.name_mentor, name="name_mentor"),
]
