def test_it_tells_htmx_to_navigate_to_login_when_the_session_is_gone(client, db):
    response = client.get("/projects/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/projects/"


def test_it_redirects_plain_requests_as_usual(client, db):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/projects/"
