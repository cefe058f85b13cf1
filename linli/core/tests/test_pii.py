"""Personal data: encryption round-trips, hashes are keyed and stable, masks show only what they should."""

from linli.core import pii


def test_encrypt_round_trips_and_uses_a_fresh_nonce_each_time():
    first, second = pii.encrypt("110105199001010020"), pii.encrypt("110105199001010020")
    assert first != second
    assert first.startswith("v1:")
    assert pii.decrypt(first) == pii.decrypt(second) == "110105199001010020"


def test_encrypted_text_does_not_contain_the_plaintext():
    assert "13800138000" not in pii.encrypt("13800138000")


def test_lookup_hash_is_stable_and_depends_on_purpose(settings):
    assert pii.lookup_hash("13800138000", "phone") == pii.lookup_hash("13800138000", "phone")
    assert pii.lookup_hash("13800138000", "phone") != pii.lookup_hash("13800138000", "id_number")


def test_lookup_hash_depends_on_the_key(settings):
    before = pii.lookup_hash("13800138000", "phone")
    settings.LINLI_HASH_KEY = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY="
    assert pii.lookup_hash("13800138000", "phone") != before


def test_id_number_is_masked_keeping_region_and_last_four():
    assert pii.mask_id_number("11010519900101002X") == "110105********002X"


def test_phone_is_masked_keeping_prefix_and_last_four():
    assert pii.mask_phone("13800138000") == "138****8000"
    assert pii.mask_phone("0871-6123456") == "********3456"


def test_names_are_masked_for_public_notices():
    assert pii.mask_name("张三") == "张*"
    assert pii.mask_name("欧阳娜娜") == "欧**娜"
