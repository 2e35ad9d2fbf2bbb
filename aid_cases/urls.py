from aid_cases import views

app_name = "aid_cases"

urlpatterns = views.urlpatterns
