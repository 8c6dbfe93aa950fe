"""What a clip may be: links from the known hosts over https, files recognised by their first bytes
and refused by size before they are read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.clips import video

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + b"\x00" * 100


@pytest.mark.parametrize("link, source, video_id", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3", "youtube", "dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
    ("https://www.facebook.com/watch/?v=1234567890", "facebook", ""),
    ("https://www.tiktok.com/@ubnd/video/7300000000000000000", "tiktok", ""),
    ("https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=sharing", "drive", "1AbCdEfGhIjKlMnOp"),
])
def test_links_from_the_known_hosts_are_accepted(link, source, video_id):
    assert video.parse_link(link)[:2] == (source, video_id)


@pytest.mark.parametrize("link", [
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/?u=https://youtube.com",
    "https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/channel/UC123",  # not a video
    "javascript:alert(1)",
    "",
])
def test_other_links_are_refused_with_a_message(link):
    with pytest.raises(video.VideoRefused) as refused:
        video.parse_link(link)
    assert str(refused.value)


def test_files_are_recognised_by_their_first_bytes(settings):
    assert video.check_file(SimpleUploadedFile("clip.mp4", MP4)) == ".mp4"
    assert video.check_file(SimpleUploadedFile("clip.webm", WEBM)) == ".webm"
    for name, data in (("clip.mp4", b"%PDF-1.7 " + b"x" * 100), ("clip.webm", MP4), ("clip.mov", MP4),
                       ("clip.mp4", b"")):
        with pytest.raises(video.VideoRefused):
            video.check_file(SimpleUploadedFile(name, data))


class _Unread:
    """An upload that says how large it is and fails if anything reads it."""
    name, size = "big.mp4", 300 * 1048576

    def read(self, *args):
        raise AssertionError("the file was read")


def test_a_file_over_the_cap_is_refused_before_it_is_read(settings):
    settings.CCHC_CLIP_MAX_FILE_MB = 200
    assert video.max_file_bytes() == settings.CCHC_MAX_UPLOAD_BYTES  # never above the platform's cap
    with pytest.raises(video.VideoRefused) as refused:
        video.check_file(_Unread())
    assert "MB" in str(refused.value)
