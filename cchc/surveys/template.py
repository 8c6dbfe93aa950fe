"""The ready questionnaire that follows the national satisfaction index (SIPAS, Bộ Nội vụ).

The index measures five elements of a public service — (1) access to the service, (2) the
administrative procedure, (3) the civil servants who handle it, (4) the result, (5) the receiving
and handling of feedback, petitions and complaints — each through a few statements the respondent
rates on a five-point scale (1 rất không hài lòng … 5 rất hài lòng), and asks overall satisfaction
at the end. The feedback element is asked only of those who gave feedback (a conditional question),
as the national questionnaire does. It is Vietnamese text, as printed on the form; an organiser may
change any of it after creating the survey.
"""

from __future__ import annotations

from .models import Area, Question

YES, NO = "Có", "Không"

SCALE_HINT = "1 = Rất không hài lòng · 2 = Không hài lòng · 3 = Bình thường · 4 = Hài lòng · 5 = Rất hài lòng"

#: (section title, area, [(question, kind, required, choices, condition)]); a condition is
#: (index of an earlier question in the same section, value)
SIPAS: tuple = (
    ("Thông tin chung", "", [
        ("Ông/Bà nộp hồ sơ theo hình thức nào?", Question.Kind.SINGLE, True,
         ["Trực tiếp tại Bộ phận Một cửa", "Qua dịch vụ bưu chính công ích", "Trực tuyến trên Cổng dịch vụ công"], None),
        ("Ông/Bà biết thông tin về thủ tục qua những kênh nào?", Question.Kind.MULTIPLE, False,
         ["Niêm yết tại Bộ phận Một cửa", "Cổng, Trang thông tin điện tử", "Cổng dịch vụ công",
          "Báo chí, phát thanh, truyền hình", "Người thân, bạn bè", "Hỏi công chức"], None),
    ]),
    ("Tiếp cận dịch vụ", Area.ACCESS, [
        ("Nơi ngồi chờ có đủ chỗ ngồi", Question.Kind.SCALE, True, [], None),
        ("Trang thiết bị phục vụ người dân, tổ chức đầy đủ", Question.Kind.SCALE, True, [], None),
        ("Trang thiết bị phục vụ hiện đại, dễ sử dụng", Question.Kind.SCALE, True, [], None),
    ]),
    ("Thủ tục hành chính", Area.PROCEDURE, [
        ("Thủ tục hành chính được niêm yết công khai đầy đủ", Question.Kind.SCALE, True, [], None),
        ("Thành phần hồ sơ phải nộp đúng quy định", Question.Kind.SCALE, True, [], None),
        ("Phí, lệ phí phải nộp đúng quy định", Question.Kind.SCALE, True, [], None),
        ("Thời hạn giải quyết đúng quy định", Question.Kind.SCALE, True, [], None),
    ]),
    ("Công chức trực tiếp giải quyết công việc", Area.STAFF, [
        ("Công chức có thái độ giao tiếp lịch sự", Question.Kind.SCALE, True, [], None),
        ("Công chức chú ý lắng nghe ý kiến của người dân, tổ chức", Question.Kind.SCALE, True, [], None),
        ("Công chức trả lời, giải thích đầy đủ các ý kiến", Question.Kind.SCALE, True, [], None),
        ("Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo, dễ hiểu", Question.Kind.SCALE, True, [], None),
        ("Công chức tuân thủ đúng quy định trong giải quyết công việc", Question.Kind.SCALE, True, [], None),
    ]),
    ("Kết quả giải quyết thủ tục hành chính", Area.RESULT, [
        ("Kết quả nhận được đúng quy định", Question.Kind.SCALE, True, [], None),
        ("Kết quả có thông tin đầy đủ, chính xác", Question.Kind.SCALE, True, [], None),
    ]),
    ("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", Area.FEEDBACK, [
        ("Ông/Bà có góp ý, phản ánh, kiến nghị trong quá trình giải quyết thủ tục không?", Question.Kind.SINGLE, True,
         [YES, NO], None),
        ("Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị", Question.Kind.SCALE, True, [], (0, YES)),
        ("Ông/Bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị", Question.Kind.SCALE, True, [], (0, YES)),
        ("Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị", Question.Kind.SCALE, True, [], (0, YES)),
        ("Cơ quan thông báo kết quả xử lý kịp thời", Question.Kind.SCALE, True, [], (0, YES)),
    ]),
    ("Đánh giá chung", Area.OVERALL, [
        ("Mức độ hài lòng chung của Ông/Bà về sự phục vụ", Question.Kind.SCALE, True, [], None),
        ("Ông/Bà có góp ý gì để cơ quan phục vụ tốt hơn?", Question.Kind.TEXT, False, [], None),
    ]),
)

TITLE = "Khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước"
INTRODUCTION = ("Phiếu khảo sát không hỏi họ tên hay thông tin cá nhân. Ý kiến của Ông/Bà giúp cơ quan phục vụ tốt hơn. "
                "Với mỗi nội dung, xin chọn một mức: " + SCALE_HINT + ".")
