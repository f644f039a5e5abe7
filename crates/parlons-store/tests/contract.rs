//! The store contract: one suite, run on SQLite (always, a temp file) and on PostgreSQL when
//! `PARLONS_TEST_DATABASE_URL` is set (the test command starts a throw-away server).

use parlons_store::{
    LoginFlow, NewRoom, NewUser, Notification, OidcSubject, RecordingFile, RecordingRecord, RoomPatch, RoomSettings,
    SessionRecord, Store, StoreError,
};
use parlons_types::access::{AccessLevel, PublishPolicy, PublishWho, RoomRole};
use parlons_types::{Identity, UserId};

/// Unique names per run, so a shared PostgreSQL database can be reused.
fn uniq(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}{t:x}{}", N.fetch_add(1, Ordering::Relaxed))
}

fn new_user(name: &str) -> NewUser {
    NewUser {
        id: UserId::new(uniq("US_")),
        username: Some(uniq(name)),
        name: name.to_string(),
        email: Some(format!("{}@example.test", uniq(name))),
        password_hash: Some("$argon2id$fake".into()),
        is_admin: false,
        oidc: None,
        now: 1_000,
    }
}

fn new_room(owner: Option<UserId>) -> NewRoom {
    NewRoom {
        id: uniq("rm"),
        slug: uniq("slug-"),
        name: "Weekly".into(),
        owner,
        settings: RoomSettings::default(),
        now: 2_000,
    }
}

async fn users(s: &Store) {
    let u = s.create_user(new_user("alice")).await.expect("create");
    assert_eq!(s.user(&u.id).await.expect("by id"), u);
    let (found, hash) =
        s.user_with_password(u.username.as_deref().unwrap_or_default()).await.expect("q").expect("some");
    assert_eq!(found.id, u.id);
    assert_eq!(hash, "$argon2id$fake");
    assert!(s.user_with_password("nobody-here").await.expect("q").is_none());

    let mut dup = new_user("bob");
    dup.username = u.username.clone();
    assert!(matches!(s.create_user(dup).await, Err(StoreError::Conflict("username"))));

    let by_mail = s.find_user(&u.email.clone().unwrap_or_default().to_uppercase()).await.expect("q").expect("some");
    assert_eq!(by_mail.id, u.id);

    s.set_password(&u.id, "$argon2id$other").await.expect("set");
    assert!(matches!(s.set_password(&UserId::new("US_missing"), "x").await, Err(StoreError::NotFound)));

    let sub = OidcSubject { issuer: "http://idp.test".into(), subject: uniq("sub") };
    let first = s.upsert_oidc_user(&sub, "Agent A", Some("a@x.test"), UserId::new(uniq("US_")), 5).await.expect("new");
    let again = s.upsert_oidc_user(&sub, "Agent A2", None, UserId::new(uniq("US_")), 6).await.expect("again");
    assert_eq!(first.id, again.id, "the same subject maps to the same account");
    assert_eq!(again.name, "Agent A2");
    assert!(s.count_users().await.expect("count") >= 2);
}

async fn sessions(s: &Store) {
    let u = s.create_user(new_user("carol")).await.expect("create");
    let rec = SessionRecord {
        id_hash: uniq("h"),
        user_id: u.id.clone(),
        csrf: "c".into(),
        id_token: Some("idt".into()),
        created_at: 10,
        expires_at: 100,
    };
    s.create_session(&rec).await.expect("create");
    let (got, user) = s.session(&rec.id_hash, 50).await.expect("q").expect("live");
    assert_eq!(got, rec);
    assert_eq!(user.id, u.id);
    assert!(s.session(&rec.id_hash, 100).await.expect("q").is_none(), "expired sessions are not returned");
    assert!(s.delete_expired_sessions(100).await.expect("prune") >= 1);
    assert!(s.session(&rec.id_hash, 50).await.expect("q").is_none(), "pruned");

    let rec2 = SessionRecord { id_hash: uniq("h"), expires_at: 1_000, ..rec };
    s.create_session(&rec2).await.expect("create");
    assert!(s.delete_session(&rec2.id_hash).await.expect("delete"));
    assert!(!s.delete_session(&rec2.id_hash).await.expect("delete twice"));
}

async fn login_flows(s: &Store) {
    let f = LoginFlow {
        state: uniq("st"),
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        next_path: "/rooms".into(),
        created_at: 1_000,
    };
    s.put_login_flow(&f).await.expect("put");
    assert_eq!(s.take_login_flow(&f.state, 500).await.expect("take"), Some(f.clone()));
    assert_eq!(s.take_login_flow(&f.state, 500).await.expect("take"), None, "a state works once");
    let old = LoginFlow { state: uniq("st"), ..f };
    s.put_login_flow(&old).await.expect("put");
    assert_eq!(s.take_login_flow(&old.state, 5_000).await.expect("take"), None, "too old");
}

async fn rooms(s: &Store) {
    let owner = s.create_user(new_user("olga")).await.expect("owner");
    let other = s.create_user(new_user("paul")).await.expect("other");
    let r = s.create_room(new_room(Some(owner.id.clone()))).await.expect("create");
    assert_eq!(s.room(&r.slug).await.expect("get"), r);
    assert!(matches!(s.room("no-such-room").await, Err(StoreError::NotFound)));
    let mut dup = new_room(None);
    dup.slug = r.slug.clone();
    assert!(matches!(s.create_room(dup).await, Err(StoreError::Conflict("slug"))));

    let patch = RoomPatch {
        name: Some("Renamed".into()),
        access: Some(AccessLevel::Restricted),
        max_participants: Some(3),
        locked: Some(true),
        publish: Some(PublishPolicy { camera: PublishWho::Hosts, ..Default::default() }),
        scheduled_at: Some(Some(9_000)),
    };
    let changed = s.update_room(&r.slug, &patch).await.expect("patch");
    assert_eq!(changed.name, "Renamed");
    assert_eq!(changed.settings.access, AccessLevel::Restricted);
    assert_eq!(changed.settings.max_participants, 3);
    assert!(changed.settings.locked);
    assert_eq!(changed.settings.publish.camera, PublishWho::Hosts);
    assert_eq!(changed.settings.scheduled_at, Some(9_000));
    assert_eq!(s.room(&r.slug).await.expect("get"), changed, "the change is stored");
    let cleared =
        s.update_room(&r.slug, &RoomPatch { scheduled_at: Some(None), ..Default::default() }).await.expect("patch");
    assert_eq!(cleared.settings.scheduled_at, None);

    // Roles: exactly one owner, kept.
    assert_eq!(s.role(&r.id, &owner.id).await.expect("q"), Some(RoomRole::Owner));
    assert_eq!(s.role(&r.id, &other.id).await.expect("q"), None);
    s.set_role(&r.id, &other.id, RoomRole::Member).await.expect("member");
    s.set_role(&r.id, &other.id, RoomRole::Admin).await.expect("admin");
    assert_eq!(s.role(&r.id, &other.id).await.expect("q"), Some(RoomRole::Admin));
    assert!(matches!(s.set_role(&r.id, &owner.id, RoomRole::Member).await, Err(StoreError::Rule(_))));
    assert!(matches!(s.set_role(&r.id, &other.id, RoomRole::Owner).await, Err(StoreError::Rule(_))));
    assert!(matches!(s.remove_member(&r.id, &owner.id).await, Err(StoreError::Rule(_))));
    let members = s.members(&r.id).await.expect("members");
    assert_eq!(members.iter().map(|m| m.role).collect::<Vec<_>>(), vec![RoomRole::Owner, RoomRole::Admin]);

    s.transfer_owner(&r.id, &other.id).await.expect("transfer");
    assert_eq!(s.role(&r.id, &other.id).await.expect("q"), Some(RoomRole::Owner));
    assert_eq!(s.role(&r.id, &owner.id).await.expect("q"), Some(RoomRole::Admin));
    s.remove_member(&r.id, &owner.id).await.expect("remove admin");
    assert!(matches!(s.remove_member(&r.id, &owner.id).await, Err(StoreError::NotFound)));

    let mine = s.rooms_of_user(&other.id).await.expect("mine");
    assert!(mine.iter().any(|(room, role)| room.slug == r.slug && *role == RoomRole::Owner));
    assert!(s.rooms_of_user(&owner.id).await.expect("theirs").is_empty());
    s.touch_room(&r.id, 7_000).await.expect("touch");
    assert_eq!(s.room(&r.slug).await.expect("get").last_used_at, Some(7_000));
    assert!(s.all_rooms(10_000).await.expect("all").iter().any(|x| x.slug == r.slug));

    // Bans last until the meeting is ended.
    let id = Identity::new("g-abc");
    assert!(!s.is_banned(&r.id, &id).await.expect("q"));
    s.ban(&r.id, &id, 8_000).await.expect("ban");
    s.ban(&r.id, &id, 8_001).await.expect("ban twice is fine");
    assert!(s.is_banned(&r.id, &id).await.expect("q"));
    s.end_meeting(&r.id, 9_000).await.expect("end");
    assert!(!s.is_banned(&r.id, &id).await.expect("q"));
    assert_eq!(s.room(&r.slug).await.expect("get").ended_at, Some(9_000));

    s.delete_room(&r.slug).await.expect("delete");
    assert!(matches!(s.room(&r.slug).await, Err(StoreError::NotFound)));
    assert!(s.rooms_of_user(&other.id).await.expect("mine").iter().all(|(room, _)| room.slug != r.slug));
    assert!(matches!(s.delete_room(&r.slug).await, Err(StoreError::NotFound)));
}

async fn recordings(s: &Store) {
    let r = s.create_room(new_room(None)).await.expect("room");
    let rec = RecordingRecord {
        id: uniq("rec"),
        room_id: r.id.clone(),
        started_by: None,
        mode: "video".into(),
        transcribe: true,
        status: "recording".into(),
        error: None,
        dir: "rec-1".into(),
        started_at: 1_000,
        stopped_at: None,
        expires_at: Some(50_000),
    };
    s.create_recording(&rec).await.expect("create");
    assert_eq!(s.recording(&rec.id).await.expect("get"), rec);
    assert!(s.recordings_with_status("recording").await.expect("q").iter().any(|x| x.id == rec.id));
    let file = RecordingFile {
        recording_id: rec.id.clone(),
        path: "alice-camera.webm".into(),
        kind: "video".into(),
        identity: "u-US_a".into(),
        name: "Alice".into(),
        track_id: "TR_1".into(),
        codec: "vp8+opus".into(),
        start_ms: 0,
        end_ms: None,
        status: "recording".into(),
    };
    s.put_recording_file(&file).await.expect("file");
    let done = RecordingFile { end_ms: Some(9_000), status: "finished".into(), ..file.clone() };
    s.put_recording_file(&done).await.expect("replace");
    assert_eq!(s.recording_files(&rec.id).await.expect("files"), vec![done]);
    s.finish_recording(&rec.id, "finished", None, 10_000).await.expect("finish");
    let got = s.recording(&rec.id).await.expect("get");
    assert_eq!((got.status.as_str(), got.stopped_at), ("finished", Some(10_000)));
    assert_eq!(s.recordings_of_room(&r.id).await.expect("of room").len(), 1);
    assert!(s.expired_recordings(60_000).await.expect("expired").iter().any(|x| x.id == rec.id));
    assert!(!s.expired_recordings(40_000).await.expect("expired").iter().any(|x| x.id == rec.id));
    let friend = s.create_user(new_user("fred")).await.expect("user");
    assert!(!s.is_shared_with(&rec.id, &friend.id).await.expect("q"));
    s.share_recording(&rec.id, &friend.id, 11_000).await.expect("share");
    s.share_recording(&rec.id, &friend.id, 11_001).await.expect("share twice is fine");
    assert!(s.is_shared_with(&rec.id, &friend.id).await.expect("q"));
    assert_eq!(s.recording_shares(&rec.id).await.expect("shares"), vec![friend.id.clone()]);
    assert_eq!(s.recordings_of_user(&friend.id).await.expect("shared").len(), 1);
    s.unshare_recording(&rec.id, &friend.id).await.expect("unshare");
    assert!(s.recordings_of_user(&friend.id).await.expect("shared").is_empty());
    s.share_recording(&rec.id, &friend.id, 11_002).await.expect("share again");
    s.delete_recording(&rec.id).await.expect("delete");
    assert!(s.recordings_of_user(&friend.id).await.expect("shared").is_empty(), "shares go with it");
    assert!(s.recording_files(&rec.id).await.expect("files").is_empty(), "files go with it");
    assert!(matches!(s.delete_recording(&rec.id).await, Err(StoreError::NotFound)));
}

async fn jobs(s: &Store) {
    let kind = uniq("kind");
    let (a, b) = (uniq("job"), uniq("job"));
    s.enqueue_job(&a, &kind, "rec-1", "{}", 1_000).await.expect("enqueue a");
    s.enqueue_job(&b, &kind, "rec-2", "{}", 2_000).await.expect("enqueue b");
    // Two workers claim at the same time: each gets its own job, oldest first, never the same.
    let (x, y) = tokio::join!(s.claim_job(&kind, "w1", 3_000), s.claim_job(&kind, "w2", 3_000));
    let mut got: Vec<String> = [x, y].into_iter().map(|j| j.expect("claim").expect("a job").id).collect();
    got.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(got, want, "each job claimed once");
    assert!(s.claim_job(&kind, "w3", 3_000).await.expect("claim").is_none(), "the queue is empty");

    s.job_progress(&a, 40, 3_500).await.expect("progress");
    assert_eq!(s.job(&a).await.expect("get").progress, 40);
    s.finish_job(&a, None, 4_000).await.expect("done");
    let done = s.job(&a).await.expect("get");
    assert_eq!((done.status.as_str(), done.progress, done.finished_at), ("done", 100, Some(4_000)));

    // b's worker died: its heartbeat is old, so b goes back to the queue, then fails after too many tries.
    assert_eq!(s.requeue_stale_jobs(3_600, 3, 10_000).await.expect("requeue"), 1);
    let again = s.claim_job(&kind, "w4", 11_000).await.expect("claim").expect("b again");
    assert_eq!((again.id.as_str(), again.attempts), (b.as_str(), 2));
    s.finish_job(&b, Some("ffmpeg failed"), 12_000).await.expect("failed");
    assert_eq!(s.job_for(&kind, "rec-2").await.expect("q").map(|j| j.status), Some("failed".into()));
    s.retry_job(&b).await.expect("retry");
    assert_eq!(s.job(&b).await.expect("get").status, "queued");
    s.delete_jobs_of("rec-2").await.expect("delete");
    assert!(s.job_for(&kind, "rec-2").await.expect("q").is_none());
}

async fn notifications(s: &Store) {
    let u = s.create_user(new_user("nina")).await.expect("user");
    let other = s.create_user(new_user("omar")).await.expect("user");
    for (i, at) in [(1, 1_000), (2, 2_000)] {
        let n = Notification {
            id: uniq(&format!("n{i}")),
            user_id: u.id.clone(),
            kind: "recording_ready".into(),
            title: format!("Recording {i} is ready"),
            link: "/rooms/x/recordings".into(),
            created_at: at,
            read_at: None,
        };
        s.notify(&n).await.expect("notify");
    }
    let list = s.notifications(&u.id, 10).await.expect("list");
    assert_eq!(
        list.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(),
        vec!["Recording 2 is ready", "Recording 1 is ready"]
    );
    assert!(
        matches!(s.mark_notification_read(&other.id, &list[0].id, 5).await, Err(StoreError::NotFound)),
        "only its owner reads it"
    );
    s.mark_notification_read(&u.id, &list[0].id, 5).await.expect("read");
    assert_eq!(s.notifications(&u.id, 10).await.expect("list")[0].read_at, Some(5));
    assert!(s.notifications(&other.id, 10).await.expect("list").is_empty());
}

async fn contract(s: &Store) {
    users(s).await;
    sessions(s).await;
    login_flows(s).await;
    rooms(s).await;
    recordings(s).await;
    jobs(s).await;
    notifications(s).await;
}

#[tokio::test]
async fn sqlite_store_honours_the_contract() {
    let dir = std::env::temp_dir().join(uniq("parlons-store-"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("t.db").display());
    let s = Store::open(&url).await.expect("open");
    contract(&s).await;
    s.close().await;
    // Reopening runs no migration twice and keeps the data.
    let s = Store::open(&url).await.expect("reopen");
    assert!(s.count_users().await.expect("count") > 0);
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_store_honours_the_contract() {
    let Ok(url) = std::env::var("PARLONS_TEST_DATABASE_URL") else {
        eprintln!("PARLONS_TEST_DATABASE_URL not set: PostgreSQL contract skipped (the test command sets it)");
        return;
    };
    let s = Store::open(&url).await.expect("open postgres");
    assert_eq!(s.dialect(), parlons_store::Dialect::Postgres);
    contract(&s).await;
    s.close().await;
}

#[tokio::test]
async fn unknown_schemes_are_refused_clearly() {
    let e = Store::open("mysql://u:pw@h/db").await.expect_err("refused");
    let text = e.to_string();
    assert!(text.contains("unsupported") && !text.contains("pw"), "{text}");
}
