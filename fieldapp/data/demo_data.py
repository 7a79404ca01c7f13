"""The raw material of the demo city: places, names and phrases (used by data/demo.py).

Hải Phòng's communes after the July 2025 reform; the 5-digit codes have the official shape
but are made up for the demo. Names follow the usual spread of Vietnamese family names (about
four in ten are Nguyễn), and middle and given names differ between generations.
"""

PROVINCE = ("31", "Thành phố Hải Phòng")

#: code, name, kind (ward / rural / island), villages, (lat, lon) of the commune centre.
COMMUNES = [
    ("11311", "Phường Hồng Bàng", "ward",
     ["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 3", "Tổ dân phố số 4"], (20.8627, 106.6790)),
    ("11329", "Phường Lê Chân", "ward",
     ["Tổ dân phố Cát Dài", "Tổ dân phố Dư Hàng", "Tổ dân phố Hàng Kênh"], (20.8449, 106.6767)),
    ("11506", "Xã An Hưng", "rural",
     ["Thôn Đông", "Thôn Đoài", "Thôn Trung", "Thôn Tiên Hội"], (20.8746, 106.6030)),
    ("11560", "Xã Kiến Thụy", "rural",
     ["Thôn Kim Sơn", "Thôn Phương Đôi", "Thôn Cổ Trai"], (20.7512, 106.6691)),
    ("11689", "Đặc khu Cát Hải", "island",
     ["Thôn Hoàng Châu", "Thôn Văn Chấn", "Tổ dân phố Bến Gót"], (20.7970, 106.8960)),
]

#: Streets for addresses in the wards.
STREETS = ["Tô Hiệu", "Lạch Tray", "Hoàng Văn Thụ", "Điện Biên Phủ", "Trần Nguyên Hãn",
           "Hai Bà Trưng", "Cầu Đất", "Nguyễn Đức Cảnh", "Chùa Hàng", "Dư Hàng",
           "Hàng Kênh", "Quán Toan", "Hạ Lý", "Thế Lữ"]

#: Family names with rough weights (per cent of the population).
FAMILY_NAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Vũ", 5), ("Hoàng", 4),
                ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Ngô", 1), ("Đào", 1), ("Dương", 1),
                ("Phan", 1), ("Lương", 1), ("Đinh", 1), ("Mai", 1), ("Tô", 1), ("Cao", 1)]

#: Middle and given names: older generation (born before 1990) and younger.
MIDDLE = {
    ("male", "old"): [("Văn", 8), ("Đức", 2), ("Minh", 2), ("Quang", 1), ("Hữu", 1), ("Xuân", 1),
                      ("Đình", 1), ("Công", 1)],
    ("female", "old"): [("Thị", 10), ("Thu", 1), ("Thanh", 1), ("Ngọc", 1), ("Hồng", 1)],
    ("male", "young"): [("Minh", 3), ("Đức", 2), ("Gia", 2), ("Bảo", 1), ("Văn", 2), ("Quốc", 1),
                        ("Anh", 1)],
    ("female", "young"): [("Ngọc", 3), ("Khánh", 2), ("Thu", 2), ("Bảo", 1), ("Minh", 1),
                          ("Thị", 2), ("Phương", 1)],
}
GIVEN = {
    ("male", "old"): ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Cường", "Sơn",
                      "Tùng", "Bình", "Phong", "Khánh", "Lâm", "Trung", "Việt", "Thành",
                      "Toàn", "Hiếu", "Kiên"],
    ("female", "old"): ["Lan", "Hương", "Hoa", "Mai", "Hằng", "Thủy", "Nga", "Huyền", "Yến",
                        "Hạnh", "Oanh", "Vân", "Dung", "Loan", "Nhung", "Thảo", "Hà", "Liên"],
    ("male", "young"): ["An", "Khôi", "Phúc", "Khang", "Huy", "Minh", "Đạt", "Quân", "Hiếu",
                        "Nam", "Duy", "Long", "Vinh", "Lộc"],
    ("female", "young"): ["Anh", "Chi", "Linh", "Ngọc", "Vy", "Nhi", "My", "Hân", "Trang",
                          "Thảo", "Uyên", "Diệp", "Hà"],
}

#: Mobile prefixes in use (Viettel, VinaPhone, MobiFone, Vietnamobile).
MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "089",
                   "032", "033", "034", "035", "036", "037", "038", "039", "070", "076",
                   "077", "078", "079", "081", "082", "083", "084", "085", "056", "058"]

#: Province codes that start a personal ID (the birth registration): mostly Hải Phòng.
BIRTH_PROVINCES = [("031", 85), ("030", 6), ("034", 4), ("022", 3), ("001", 2)]

HOUSEHOLD_NOTES = [
    "Chủ hộ đi biển, thường vắng nhà ban ngày.",
    "Hộ cận nghèo năm 2026.",
    "Hẹn gặp buổi tối sau 18 giờ.",
    "Con trai làm công nhân khu công nghiệp, có BHXH bắt buộc.",
    "Gia đình buôn bán nhỏ ở chợ.",
]

VISIT_NOTES = {
    "not_home": ["Nhà đóng cửa, hàng xóm cho biết cả nhà đi làm.", "Không có ai ở nhà."],
    "not_interested": ["Gia đình chưa có nhu cầu.", "Chủ hộ nói đã có BHYT ở nơi làm việc."],
    "interested": ["Quan tâm BHYT hộ gia đình cho cả nhà, hẹn bàn thêm với vợ/chồng.",
                   "Muốn tham gia BHXH tự nguyện khi có tiền bán hàng.",
                   "Hỏi kỹ về mức hỗ trợ cho hộ cận nghèo."],
    "enrolled": ["Đã kê khai tờ khai TK1-TS, thu tiền tại nhà.", "Đăng ký và đóng tiền ngay."],
    "already_covered": ["Cả nhà đã có thẻ BHYT.", "Đã tham gia BHXH tự nguyện từ năm trước."],
    "moved_away": ["Gia đình đã chuyển vào Bình Dương làm ăn."],
    "refused": ["Không muốn nghe tư vấn."],
}
FLAG_NOTES = ["Thiếu số điện thoại liên hệ, đề nghị bổ sung.",
              "Thời gian thăm trùng với lượt trước, kiểm tra lại.",
              "Ghi chú chưa rõ kết quả, đề nghị ghi cụ thể."]

REFERRAL_NOTES = ["Anh ấy làm thợ xây tự do, chưa có bảo hiểm.",
                  "Chị bán hàng ở chợ, hỏi về lương hưu.",
                  "Gia đình mới chuyển đến, chưa có thẻ BHYT.",
                  "Đã dừng đóng BHXH tự nguyện từ năm ngoái, muốn đóng tiếp."]

OUTREACH_NOTES = {
    "conference": "Hội nghị khách hàng tại nhà văn hóa, có cán bộ BHXH cơ sở dự.",
    "small_group": "Nói chuyện nhóm nhỏ với Hội Phụ nữ và Hội Nông dân.",
}

#: Demo users: username -> (role, full name, phone, areas as commune indexes or "province"
#: or ("village", commune index, village index)).
USERS = {
    "admin": ("admin", "Quản trị hệ thống", None, "province"),
    "supervisor": ("supervisor", "Phạm Thị Thu Hà", "0912345001", "province"),
    "collector1": ("collector", "Nguyễn Thị Hồng Nhung", "0987654321", [0, 1, 2]),
    "collector2": ("collector", "Trần Văn Khải", "0903456789", [3, 4]),
    "village1": ("village_head", "Vũ Văn Thành", "0975111222", ("village", 2, 0)),
}
