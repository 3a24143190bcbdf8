from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from opsdesk.lib.queries import RecordIdConverter
from opsdesk.web.views import (
    case_files,
    cases,
    checklist,
    contacts,
    day,
    exceptions,
    imports,
    orders,
    reports,
    stockouts,
)

register_converter(RecordIdConverter, "id")

auth = [
    path("accounts/login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="web/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
]

urlpatterns = [
    *auth,
    path("", day.day, name="day"),
    path("orders/", orders.order_search, name="orders"),
    path("orders/<str:channel>/<str:order_no>/", orders.order_page, name="order"),
    path("orders/<str:channel>/<str:order_no>/phone/", orders.order_phone, name="order_phone"),
    path("orders/<str:channel>/<str:order_no>/ack/", orders.order_ack, name="order_ack"),
    path("orders/<str:channel>/<str:order_no>/tcm-check/", orders.order_tcm_check, name="order_tcm_check"),
    path("orders/<str:channel>/<str:order_no>/rx-review/", orders.order_rx_review, name="order_rx_review"),
    path("orders/<str:channel>/<str:order_no>/cases/", cases.case_open, name="order_case_open"),
    path("exceptions/", exceptions.queues, name="queues"),
    path("exceptions/<str:rule>/", exceptions.queue, name="queue"),
    path("exceptions/<str:rule>/clear/", exceptions.queue_clear, name="queue_clear"),
    path("exceptions/<str:rule>/xlsx/", exceptions.queue_download, name="queue_download"),
    path("checklist/", checklist.checklist, name="checklist"),
    path("checklist/<str:code>/sign/", checklist.checklist_sign, name="checklist_sign"),
    path("checklist/<str:code>/contacts/", contacts.contact_list, name="contacts"),
    path("checklist/<str:code>/contacts/phones/", contacts.contact_phones, name="contact_phones"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<id:case_id>/", cases.case_page, name="case"),
    path("cases/<id:case_id>/send/", cases.case_send, name="case_send"),
    path("cases/<id:case_id>/send/<str:result_id>/", cases.case_send_result, name="case_send_result"),
    path("cases/<id:case_id>/sends/<id:send_id>/checked/", cases.case_send_checked, name="case_send_checked"),
    path("cases/<id:case_id>/reissue/", cases.case_reissue, name="case_reissue"),
    path("cases/<id:case_id>/reissue-sku/", cases.case_reissue_sku, name="case_reissue_sku"),
    path("cases/<id:case_id>/advance/", cases.case_advance, name="case_advance"),
    path("cases/<id:case_id>/reveal/", cases.case_reveal, name="case_reveal"),
    path("cases/<id:case_id>/packing-list.png", case_files.case_packing_picture, name="case_packing_picture"),
    path("cases/<id:case_id>/screenshots/", case_files.case_screenshots_upload, name="case_screenshots"),
    path("cases/<id:case_id>/files/<id:file_id>/", case_files.case_file, name="case_file"),
    path("reports/cod/", reports.cod, name="cod"),
    path("imports/", imports.imports, name="imports"),
    path("imports/uploads/<str:upload_id>/", imports.upload_progress, name="upload_progress"),
    path("stockouts/", stockouts.board, name="stockouts"),
    path("stockouts/mark/", stockouts.mark, name="stockout_mark"),
    path("stockouts/tasks/<id:task_id>/done/", stockouts.task_done, name="stockout_task_done"),
]
