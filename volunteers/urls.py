from volunteers import views

app_name = "volunteers"

urlpatterns = views.urlpatterns
