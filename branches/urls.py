from branches.views import activities, organisation, people, recognition

app_name = "branches"

urlpatterns = [
    *organisation.urlpatterns,
    *people.urlpatterns,
    *activities.urlpatterns,
    *recognition.urlpatterns,
]
