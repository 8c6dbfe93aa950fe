import pytest


@pytest.fixture
def tree(org_tree):
    return org_tree


@pytest.fixture
def submit(tree):
    """A feedback sent on commune A's public site."""
    from cchc.feedback.services import feedback_submit

    def make(**extra):
        values = dict(site_unit=tree.commune_a, name="Nguyễn Thị Dân", phone="0912 345 678",
                      email="Dan.Nguyen@Example.vn", address="Tổ 5, phường Hà Giang 1",
                      subject="Thời hạn cấp giấy phép xây dựng",
                      content="Hồ sơ của tôi nộp đã 20 ngày chưa có kết quả.", consent_to_publish=True)
        values.update(extra)
        return feedback_submit(**values)

    return make
