from django.urls import path

from blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("search/", views.search, name="search"),
    path("topic/<slug:slug>/", views.topic_detail, name="topic"),
    path("topic/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
