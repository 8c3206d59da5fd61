from darirumah.org.access import access_for


def test_cast_roles(cast):
    assert access_for(cast.pegawai.user).role_codes() == ["pegawai"]
    assert "atasan" in access_for(cast.atasan.user).role_codes()
    assert "kepala_opd" in access_for(cast.kepala.user).role_codes()
    assert access_for(cast.bkpsdm.user).is_bkpsdm
    assert access_for(cast.operator).is_operator
