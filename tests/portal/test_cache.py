

def test_long_addresses_get_distinct_short_cache_keys():
    """Two searches that share their first 500 characters are two pages; no key is over 250 characters."""
    from cchc.portal.sites import address_key

    common = "/cong/tuyen-quang/thu-tuc/?q=" + "cap giay phep " * 40
    first, second = address_key(common + "xay dung"), address_key(common + "kinh doanh")
    assert first != second and len(first) < 100 and len(second) < 100
    assert address_key("/cong/tuyen-quang/tin-tuc/") == "/cong/tuyen-quang/tin-tuc/"
    assert address_key("/cong/tuyen-quang/thu-tuc/?q=cấp") != address_key("/cong/tuyen-quang/thu-tuc/?q=cap")
