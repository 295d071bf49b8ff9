PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
INSERT INTO _sqlx_migrations VALUES(1,'foundation','2026-12-07 13:56:45',1,X'eb56f15a1ded63d746b272ba121d43c5e63ce6fdfcb5a27bb612015bf28e508fcf4e89f6fb0489a575715f2089b4d4ff',2160146);
INSERT INTO _sqlx_migrations VALUES(2,'iam entities','2026-12-07 13:56:45',1,X'aeada982faa89e44a41aeefc28d1f379fd7ebbcb588427dab5696ccae41b281a7a9f40908068dfc35d164c11b19019a4',4500038);
INSERT INTO _sqlx_migrations VALUES(3,'credentials','2026-12-07 13:56:45',1,X'360f669504169ee5502959e2498c10e52b0be784ece1db3dd3c62f5d61e626d775f0608baf3f4d28ab9c85a5fec09f8d',5175601);
INSERT INTO _sqlx_migrations VALUES(4,'sts sessions','2026-12-07 13:56:45',1,X'179e003eef0b1c4a7f27ff5e31cf3da1e1bff38794817677cf0cb4087c437312c97054bc52138d9599b9e74e2f4cb6ae',1556348);
INSERT INTO _sqlx_migrations VALUES(5,'signin throttle','2026-12-07 13:56:45',1,X'1d555369642a1e56f69bcafd11f7e7f29d2b47c98a6d9edd02e2572ded030397e5d2c77fdd0067756dc5396b88750c75',1592746);
INSERT INTO _sqlx_migrations VALUES(6,'audit chain','2026-12-07 13:56:45',1,X'6ed8ccee3d0199833e939a48b26ed14c05339e01d4ba69dc9d81cb22addcc209d4572dcd6b12e60f87ba07e397b261b6',6990086);
INSERT INTO _sqlx_migrations VALUES(7,'sts session policy arns','2026-12-07 13:56:45',1,X'b1de04270ee21c52477febd4327235889947acbaf995d7ee468f165703bd19efb1530b8e6bc2c4fe1e00d41515b6f4f3',1920904);
INSERT INTO _sqlx_migrations VALUES(8,'sts session issuer','2026-12-07 13:56:45',1,X'3fee81bb3b63024777fcaff1fd0dcedec71eaab3b9a23c8891d5b31b25e8c35bd7ea07490e6ab1d727ed8caa06619b90',1959291);
CREATE TABLE accounts (
    account_id         TEXT PRIMARY KEY NOT NULL,
    alias              TEXT UNIQUE,
    root_email         TEXT NOT NULL,
    -- Lowercase email: two addresses differing only in case are one root user.
    root_email_key     TEXT NOT NULL UNIQUE,
    root_password_hash TEXT NOT NULL,
    created_at         INTEGER NOT NULL
, authz_generation INTEGER NOT NULL DEFAULT 0);
INSERT INTO accounts VALUES('123456789012',NULL,'root-123456789012@example.com','root-123456789012@example.com','$argon2id$v=19$m=19456,t=2,p=1$u7D1h1c9vq0JD8ykHz78hQ$8JiVsUeLX66bcGfm/xYFiAKgQLHORqt4r6llMfm8DME',1795305615000,22);
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY NOT NULL,
    data          BLOB NOT NULL,
    expires_at    INTEGER NOT NULL,
    principal_arn TEXT
);
INSERT INTO sessions VALUES('1ac4ebf9a053b4f92d57474ad01ce2b3e460f9709851fbbb9fe3fe65650b3b90',X'7b226665727269616d2e7369676e65645f696e223a7b2261726e223a2261726e3a6177733a69616d3a3a3132333435363738393031323a726f6f74222c226c6173745f7365656e5f6174223a313739353330353631353030302c226d66615f61757468656e746963617465645f6174223a6e756c6c2c227072696e636970616c223a7b226163636f756e745f6964223a22313233343536373839303132222c226b696e64223a22526f6f74227d2c227369676e65645f696e5f6174223a313739353330353631353030302c22736f757263655f6970223a6e756c6c2c22757365725f6167656e74223a6e756c6c7d7d',1797861405652,'arn:aws:iam::123456789012:root');
CREATE TABLE users (
    user_id                  TEXT PRIMARY KEY NOT NULL,
    account_id               TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    name_key                 TEXT NOT NULL,
    path                     TEXT NOT NULL,
    permissions_boundary_arn TEXT,
    created_at               INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);
INSERT INTO users VALUES('AIDACPGV5RUWUBWYS57TT','123456789012','alice','alice','/',NULL,1795305615000);
CREATE TABLE groups (
    group_id   TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    path       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);
INSERT INTO "groups" VALUES('AGPAI62J2JM47LUIMVNRY','123456789012','devs','devs','/',1795305615000);
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
INSERT INTO group_members VALUES('AGPAI62J2JM47LUIMVNRY','AIDACPGV5RUWUBWYS57TT',1795305615000);
CREATE TABLE roles (
    role_id                  TEXT PRIMARY KEY NOT NULL,
    account_id               TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name                     TEXT NOT NULL,
    name_key                 TEXT NOT NULL,
    path                     TEXT NOT NULL,
    description              TEXT,
    max_session_duration     INTEGER NOT NULL,
    assume_role_policy       TEXT NOT NULL,
    permissions_boundary_arn TEXT,
    created_at               INTEGER NOT NULL,
    last_used_at             INTEGER,
    last_used_region         TEXT,
    UNIQUE (account_id, name_key)
);
INSERT INTO roles VALUES('AROACZRTZGRTIXQJEJPSU','123456789012','app','app','/',NULL,3600,'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}','arn:aws:iam::123456789012:policy/reader',1795305615000,NULL,NULL);
INSERT INTO roles VALUES('AROAMGNWHTEQ2LUI7MPY3','123456789012','spare','spare','/',NULL,3600,'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}',NULL,1795305615000,NULL,NULL);
CREATE TABLE managed_policies (
    policy_id          TEXT PRIMARY KEY NOT NULL,
    account_id         TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    path               TEXT NOT NULL,
    arn                TEXT NOT NULL UNIQUE,
    description        TEXT,
    default_version_id TEXT NOT NULL,
    -- Version numbers are never reused: v1, v2, ... even after deletions.
    next_version       INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (account_id, name_key)
);
INSERT INTO managed_policies VALUES('ANPATWIBC2LBDD47Z5VZH','123456789012','reader','reader','/','arn:aws:iam::123456789012:policy/reader',NULL,'v2',3,1795305615000,1795305615000);
CREATE TABLE policy_versions (
    policy_id  TEXT NOT NULL REFERENCES managed_policies (policy_id) ON DELETE CASCADE,
    version_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);
INSERT INTO policy_versions VALUES('ANPATWIBC2LBDD47Z5VZH','v1','{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',1795305615000);
INSERT INTO policy_versions VALUES('ANPATWIBC2LBDD47Z5VZH','v2','{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}',1795305615000);
CREATE TABLE policy_attachments (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    policy_arn  TEXT NOT NULL,
    attached_at INTEGER NOT NULL,
    PRIMARY KEY (entity_type, entity_id, policy_arn)
);
INSERT INTO policy_attachments VALUES('123456789012','user','AIDACPGV5RUWUBWYS57TT','arn:aws:iam::123456789012:policy/reader',1795305615000);
INSERT INTO policy_attachments VALUES('123456789012','group','AGPAI62J2JM47LUIMVNRY','arn:aws:iam::123456789012:policy/reader',1795305615000);
INSERT INTO policy_attachments VALUES('123456789012','role','AROACZRTZGRTIXQJEJPSU','arn:aws:iam::123456789012:policy/reader',1795305615000);
CREATE TABLE inline_policies (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    document    TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, name)
);
INSERT INTO inline_policies VALUES('123456789012','user','AIDACPGV5RUWUBWYS57TT','assume','{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}');
INSERT INTO inline_policies VALUES('123456789012','role','AROACZRTZGRTIXQJEJPSU','app-inline','{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
CREATE TABLE tags (
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    key_lower   TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (entity_type, entity_id, key_lower)
);
INSERT INTO tags VALUES('role','AROACZRTZGRTIXQJEJPSU','team','team','red',0);
CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_time    INTEGER NOT NULL,
    account_id    TEXT NOT NULL,
    principal_arn TEXT NOT NULL,
    access_key_id TEXT,
    action        TEXT NOT NULL,
    resource_arn  TEXT NOT NULL,
    -- 'Success' or the AWS error code.
    result        TEXT NOT NULL,
    source_ip     TEXT,
    user_agent    TEXT,
    request_id    TEXT NOT NULL
, principal_id TEXT, error_message TEXT, reason TEXT, details TEXT, prev_hash TEXT, hash TEXT);
INSERT INTO audit_events VALUES(1,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:UpdateAccountPasswordPolicy','*','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'0000000000000000000000000000000000000000000000000000000000000000','1dc2a0f4cbd6a03179ca0cf8873d2a4184a2a0d7fcdda207fbb88db607c199c1');
INSERT INTO audit_events VALUES(2,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateUser','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'1dc2a0f4cbd6a03179ca0cf8873d2a4184a2a0d7fcdda207fbb88db607c199c1','f29a4db8530814d4c50b49eba942abe60ea3cc7811944a4fd3b57e2e79927278');
INSERT INTO audit_events VALUES(3,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateLoginProfile','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'f29a4db8530814d4c50b49eba942abe60ea3cc7811944a4fd3b57e2e79927278','152c808dfc6a0e5a6fb55af8b5d0a213faffcf1bc6eed42d8a11defa504de179');
INSERT INTO audit_events VALUES(4,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:PutUserPolicy','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'152c808dfc6a0e5a6fb55af8b5d0a213faffcf1bc6eed42d8a11defa504de179','dee7a24896bbddb11a713af3f76b61b51551e6c068fd189c9c589e16f3f87ae5');
INSERT INTO audit_events VALUES(5,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:UpdateLoginProfile','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'dee7a24896bbddb11a713af3f76b61b51551e6c068fd189c9c589e16f3f87ae5','e68ad2fe6e3d82526c68764c31fa02d6688e243b5c80db00a6cf56379ba5f3f9');
INSERT INTO audit_events VALUES(6,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:UpdateLoginProfile','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'e68ad2fe6e3d82526c68764c31fa02d6688e243b5c80db00a6cf56379ba5f3f9','a69e8dde0541f7a050aa870937855a2868b4ddd3f3d038bf0796b6bb4a0444b1');
INSERT INTO audit_events VALUES(7,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateGroup','arn:aws:iam::123456789012:group/devs','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'a69e8dde0541f7a050aa870937855a2868b4ddd3f3d038bf0796b6bb4a0444b1','39ace99992d95045e969b49dd959b0cbd330fc479bd72c0206a0b91cc112bf13');
INSERT INTO audit_events VALUES(8,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:AddUserToGroup','arn:aws:iam::123456789012:group/devs','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'39ace99992d95045e969b49dd959b0cbd330fc479bd72c0206a0b91cc112bf13','cc43f0ee3e07676d2f0dc9b80a7eb38b1fd32e592d307b44fe4afd63edbbc570');
INSERT INTO audit_events VALUES(9,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreatePolicy','arn:aws:iam::123456789012:policy/reader','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'cc43f0ee3e07676d2f0dc9b80a7eb38b1fd32e592d307b44fe4afd63edbbc570','ed2e9fca55b1212202a8a6f101e75fd7edde84403401202075f73f7241e3cfbc');
INSERT INTO audit_events VALUES(10,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreatePolicyVersion','arn:aws:iam::123456789012:policy/reader','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'ed2e9fca55b1212202a8a6f101e75fd7edde84403401202075f73f7241e3cfbc','2e53c4a82969f23b6f1ad27a7102cdb366e96ef4cd8f2f5e0c21636db54db3d1');
INSERT INTO audit_events VALUES(11,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateRole','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'2e53c4a82969f23b6f1ad27a7102cdb366e96ef4cd8f2f5e0c21636db54db3d1','d4c662a2a4a0e1a689e2450ff4715aac6766b806adc14b13829698ec16fb73f7');
INSERT INTO audit_events VALUES(12,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateRole','arn:aws:iam::123456789012:role/spare','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'d4c662a2a4a0e1a689e2450ff4715aac6766b806adc14b13829698ec16fb73f7','51a4ca771c49b8cbdaab4a5493db085e406f6f2dd70c50d24fe123ebef885954');
INSERT INTO audit_events VALUES(13,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:TagRole','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'51a4ca771c49b8cbdaab4a5493db085e406f6f2dd70c50d24fe123ebef885954','deda4284e04763a03932616b519067d747c6d0251940eb205032ba620dbb28b5');
INSERT INTO audit_events VALUES(14,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:PutRolePermissionsBoundary','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'deda4284e04763a03932616b519067d747c6d0251940eb205032ba620dbb28b5','4c4e369ad7d27f21d5f836ee16bd673ba311ea02fe8a5f223f452a9bec377e1d');
INSERT INTO audit_events VALUES(15,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:PutRolePolicy','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'4c4e369ad7d27f21d5f836ee16bd673ba311ea02fe8a5f223f452a9bec377e1d','b162837c8be25363f51a18858d5471373e4c28e24271c8e561cf2c0656f05a14');
INSERT INTO audit_events VALUES(16,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:AttachUserPolicy','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'b162837c8be25363f51a18858d5471373e4c28e24271c8e561cf2c0656f05a14','327a600dee17e56c5d6e70a72d27b6031ec157e23d196922b232a7607e2a67b9');
INSERT INTO audit_events VALUES(17,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:AttachGroupPolicy','arn:aws:iam::123456789012:group/devs','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'327a600dee17e56c5d6e70a72d27b6031ec157e23d196922b232a7607e2a67b9','006db81273e03a0ad71e2a9833685ab270bca0187aa13ac67115b33d205dbdeb');
INSERT INTO audit_events VALUES(18,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:AttachRolePolicy','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'006db81273e03a0ad71e2a9833685ab270bca0187aa13ac67115b33d205dbdeb','8f78bd873e6e10fa192cd86e17b0d6f9657308d71c0d785e490a4590b5cc2ecc');
INSERT INTO audit_events VALUES(19,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateAccessKey','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'8f78bd873e6e10fa192cd86e17b0d6f9657308d71c0d785e490a4590b5cc2ecc','51961d7990ac086fc88bf7a2137834eccaae60091aec10723f8f7954e834d163');
INSERT INTO audit_events VALUES(20,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:CreateVirtualMFADevice','arn:aws:iam::123456789012:mfa/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'51961d7990ac086fc88bf7a2137834eccaae60091aec10723f8f7954e834d163','6af3304a897dc89495d450c02f02bcc5c3b005308e1fd5d351fb65a6d10c8520');
INSERT INTO audit_events VALUES(21,1795305615000,'123456789012','arn:aws:iam::123456789012:root',NULL,'iam:EnableMFADevice','arn:aws:iam::123456789012:user/alice','Success',NULL,NULL,'1e1df19e-4e1e-4817-b5c9-4ced61199ee0','123456789012',NULL,NULL,NULL,'6af3304a897dc89495d450c02f02bcc5c3b005308e1fd5d351fb65a6d10c8520','74739546972635a5d36cafb4d7045f325f2445c095971fb06eb5f68dfe780b62');
INSERT INTO audit_events VALUES(22,1795305615000,'123456789012','arn:aws:iam::123456789012:user/alice',NULL,'sts:AssumeRole','arn:aws:iam::123456789012:role/app','Success',NULL,NULL,'6209653e-37c5-4835-9e37-0ce28718845e','AIDACPGV5RUWUBWYS57TT',NULL,NULL,NULL,'74739546972635a5d36cafb4d7045f325f2445c095971fb06eb5f68dfe780b62','299ff781bd20f2a483b5546e06dc3bc9e1780c1bd6f3655e46ce8a09d0a6eaf2');
INSERT INTO audit_events VALUES(23,1795305615000,'123456789012','arn:aws:iam::123456789012:user/alice',NULL,'signin:ConsoleLogin','*','SignInFailed','192.0.2.7',NULL,'','AIDACPGV5RUWUBWYS57TT','Failed authentication','wrong password','{"MFAUsed":"No"}','299ff781bd20f2a483b5546e06dc3bc9e1780c1bd6f3655e46ce8a09d0a6eaf2','a4c668b5eaee0c0c27e223215ad05de24cc7386c665cac776ad763d693e9d0ac');
CREATE TABLE access_keys (
    access_key_id     TEXT PRIMARY KEY NOT NULL,
    account_id        TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    owner             TEXT NOT NULL,
    sealed_secret     BLOB NOT NULL,
    -- 'Active' | 'Inactive'
    status            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER,
    last_used_service TEXT,
    last_used_region  TEXT
);
INSERT INTO access_keys VALUES('AKIAA6HFO6LUK3BP2GXO','123456789012','AIDACPGV5RUWUBWYS57TT',X'018b8f6575f51392656205085118a85b30416a25d2b0945b6d7e1f8d984a047ddd62da31e9f8ab2ce9d3256cf9922817a391872555d9edc6a19d80551c4386ab66ae2e3e2d','Active',1795305615000,NULL,NULL,NULL);
CREATE TABLE login_profiles (
    user_id                 TEXT PRIMARY KEY NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash           TEXT NOT NULL,
    password_reset_required INTEGER NOT NULL,
    password_set_at         INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    password_last_used      INTEGER
);
INSERT INTO login_profiles VALUES('AIDACPGV5RUWUBWYS57TT','$argon2id$v=19$m=19456,t=2,p=1$0ih93AKVn6w5LVpQckL/Dg$T+gZVRwUM9Q0NY0WUc661Zr5nxEh8RFFHfUuKguLALI',0,1795305615000,1795305615000,NULL);
CREATE TABLE password_history (
    user_id       TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    set_at        INTEGER NOT NULL
);
INSERT INTO password_history VALUES('AIDACPGV5RUWUBWYS57TT','$argon2id$v=19$m=19456,t=2,p=1$Suod70XLtKsMhkFU9n2MKA$wBh9UC2E2Sw/yCTxRkbXypU6EH+A3+vNYy0oH4rvmDg',1795305615000);
INSERT INTO password_history VALUES('AIDACPGV5RUWUBWYS57TT','$argon2id$v=19$m=19456,t=2,p=1$xlQ2711ByCnHhfAH6GOwKw$MBCCRhArNeZmnhWfMZ6Zvfk8k5gAXywRdBDfJKRDYVg',1795305615000);
INSERT INTO password_history VALUES('AIDACPGV5RUWUBWYS57TT','$argon2id$v=19$m=19456,t=2,p=1$0ih93AKVn6w5LVpQckL/Dg$T+gZVRwUM9Q0NY0WUc661Zr5nxEh8RFFHfUuKguLALI',1795305615000);
CREATE TABLE password_policies (
    account_id                     TEXT PRIMARY KEY NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    minimum_password_length        INTEGER NOT NULL,
    require_symbols                INTEGER NOT NULL,
    require_numbers                INTEGER NOT NULL,
    require_uppercase_characters   INTEGER NOT NULL,
    require_lowercase_characters   INTEGER NOT NULL,
    allow_users_to_change_password INTEGER NOT NULL,
    max_password_age               INTEGER,
    password_reuse_prevention      INTEGER,
    hard_expiry                    INTEGER NOT NULL
);
INSERT INTO password_policies VALUES('123456789012',6,0,0,0,0,0,NULL,5,0);
CREATE TABLE IF NOT EXISTS "mfa_devices" (
    account_id     TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    serial_number  TEXT NOT NULL,
    name           TEXT NOT NULL,
    path           TEXT NOT NULL,
    sealed_seed    BLOB NOT NULL,
    -- 'root', a user ID, or '' while unassigned.
    owner          TEXT NOT NULL,
    enabled_at     INTEGER,
    last_used_step INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (account_id, serial_number)
);
INSERT INTO mfa_devices VALUES('123456789012','arn:aws:iam::123456789012:mfa/alice','alice','/',X'01480bc52c187388699d82ec1cbdeb3a1646cd378131ff029ba6b6d7e7bbc7696d922d7562d53b165079727fb8f416b70c','AIDACPGV5RUWUBWYS57TT',1795305615000,59843520,1795305615000);
CREATE TABLE sts_sessions (
    access_key_id        TEXT PRIMARY KEY NOT NULL,
    account_id           TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    sealed_secret        BLOB NOT NULL,
    session_token_hash   TEXT NOT NULL,
    -- The principal the credentials act as (JSON of the domain Principal).
    principal            TEXT NOT NULL,
    -- The session policy passed to AssumeRole, if any.
    session_policy       TEXT,
    mfa_authenticated_at INTEGER,
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL
, session_policy_arns TEXT, issuer TEXT NOT NULL DEFAULT '');
INSERT INTO sts_sessions VALUES('ASIACIUIWQ2V7ZJ7LB5I','123456789012',X'0161dcd7dda1a45c3cab51a0e52e2b61d52de0fcadf967373f8a5c8c2bd81d4a1f334e3d3f6d6abf3d57abea0990224ac2b3077dcc532e4de0ef5442c5bf2d6079658d01d3','ae5dcd71efe72761c7439f0063c139c3a72827f9b33c55169b7c6c2c7ea88b4b','{"account_id":"123456789012","kind":{"AssumedRole":{"role_id":"AROACZRTZGRTIXQJEJPSU","role_name":"app","role_path":"/","session_name":"moving"}}}',NULL,NULL,1795305615000,1795309215000,NULL,'AIDACPGV5RUWUBWYS57TT');
CREATE TABLE signin_throttle (
    key_hash             TEXT PRIMARY KEY NOT NULL,
    -- Failures since the last success (or since the row was created).
    consecutive_failures INTEGER NOT NULL,
    -- The fixed one-hour window the hourly cap counts in.
    window_started_at    INTEGER NOT NULL,
    window_failures      INTEGER NOT NULL,
    -- Attempts before this time (Unix milliseconds) are refused without being checked.
    locked_until         INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
INSERT INTO signin_throttle VALUES('7e2a634694b28de13bbb31357606162e9de7e478d14d2e9163def2ceee4a8d6e',0,1795305615000,0,0,1795305615000);
INSERT INTO signin_throttle VALUES('6c658577f44855aa816d51a337105900445a9f103616adb9d18289859da4ace6',1,1795305615000,1,0,1795305615000);
INSERT INTO signin_throttle VALUES('7e3012ffa10f51a169e5f4fb2aa9f266a10578143c999be6a6a6aefa0622c1e0',1,1795305615000,1,0,1795305615000);
CREATE TABLE signin_known_sources (
    principal_hash TEXT NOT NULL,
    source_hash    TEXT NOT NULL,
    last_success_at INTEGER NOT NULL,
    PRIMARY KEY (principal_hash, source_hash)
);
INSERT INTO signin_known_sources VALUES('f39766ec3987a508796d68e0b8a5e8208f166ed0e9884c11d6f9b05cf45e41a2','72ef308431ce6001291e7effce8880c25bbcffe83fe4e4bb9a20627cf77e9d89',1795305615000);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('audit_events',23);
CREATE INDEX sessions_by_principal ON sessions (principal_arn);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX group_members_by_user ON group_members (user_id);
CREATE INDEX policy_attachments_by_policy ON policy_attachments (account_id, policy_arn);
CREATE INDEX audit_events_by_account ON audit_events (account_id, seq);
CREATE INDEX access_keys_by_owner ON access_keys (account_id, owner);
CREATE INDEX password_history_by_user ON password_history (user_id, set_at);
CREATE INDEX mfa_devices_by_owner ON mfa_devices (account_id, owner);
CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);
CREATE INDEX signin_throttle_by_update ON signin_throttle (updated_at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_chain_link BEFORE INSERT ON audit_events
WHEN NEW.prev_hash IS NOT COALESCE(
        (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000')
    OR NEW.seq <= COALESCE((SELECT MAX(seq) FROM audit_events), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit_events: the record does not extend the chain');
END;
CREATE INDEX audit_events_by_principal ON audit_events (account_id, principal_arn, seq);
CREATE INDEX audit_events_by_action ON audit_events (account_id, action, seq);
CREATE INDEX audit_events_by_resource ON audit_events (account_id, resource_arn, seq);
CREATE INDEX audit_events_by_result ON audit_events (account_id, result, seq);
CREATE INDEX audit_events_by_time ON audit_events (account_id, event_time);
CREATE INDEX sts_sessions_by_issuer ON sts_sessions (issuer, expires_at);
COMMIT;
