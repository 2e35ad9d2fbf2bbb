from funds import views

app_name = "funds"

urlpatterns = views.urlpatterns
