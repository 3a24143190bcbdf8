from __future__ import annotations

from django.test import Client, RequestFactory
from django.views.defaults import server_error

from opsdesk.test import BaseTestCase


class ErrorPagesTestCase(BaseTestCase):
    def test_a_wrong_address_is_the_desks_own_page_in_chinese(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/reports/nothing-here/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "找不到这个页面: /reports/nothing-here/", status_code=404)
        self.assertContains(response, "返回今日", status_code=404)

    def test_an_expired_form_says_to_reload_not_csrf_verification_failed(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.operator)
        response = client.post("/checklist/erp-abnormal/sign/", {"note": "已处理"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "页面已过期或来源无效, 请刷新页面后重新提交", status_code=403)
        self.assertNotContains(response, "CSRF verification failed", status_code=403)

    def test_an_upload_whose_file_name_is_too_long_to_read_says_so(self) -> None:
        self.client.force_login(self.operator)
        name, boundary = "官网订单导出_" + "长" * 700 + ".xlsx", "opsdesk-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\nPK\r\n--{boundary}--\r\n").encode()
        response = self.client.post("/imports/", data=body, content_type=f"multipart/form-data; boundary={boundary}")
        self.assertContains(response, "文件名太长", status_code=400)

    def test_a_server_error_page_needs_nothing_from_the_request(self) -> None:
        response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn("出错了", response.content.decode())
