//! Rooms, their settings, the roles users hold on them, and people kept out of them.
//!
//! A room that has an owner always keeps exactly one: the owner's role cannot be changed or
//! removed, only handed over ([`Store::transfer_owner`]). Rooms created anonymously (`--dev`)
//! have no owner.

use parlons_types::access::{AccessLevel, PublishPolicy, RoomRole};
use parlons_types::{Identity, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::unique;
use crate::users::user_from_row;
use crate::{Result, Store, StoreError, User, flag, parse};

/// What a host may change on a room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomSettings {
    /// Who enters directly.
    pub access: AccessLevel,
    /// Participant cap (0 = none).
    pub max_participants: u32,
    /// Everyone but hosts knocks.
    pub locked: bool,
    /// Who may publish what.
    pub publish: PublishPolicy,
    /// When the meeting is planned (Unix ms).
    pub scheduled_at: Option<i64>,
}

impl Default for RoomSettings {
    fn default() -> Self {
        RoomSettings {
            access: AccessLevel::Public,
            max_participants: 0,
            locked: false,
            publish: PublishPolicy::default(),
            scheduled_at: None,
        }
    }
}

/// A stored room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomRecord {
    /// Internal id.
    pub id: String,
    /// Readable slug in links (also the LiveKit room name).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Settings.
    pub settings: RoomSettings,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last meeting start (Unix ms).
    pub last_used_at: Option<i64>,
    /// Last time a host ended the meeting for everyone (Unix ms); tokens issued before do not open it.
    pub ended_at: Option<i64>,
}

/// A room to create.
#[derive(Clone, Debug)]
pub struct NewRoom {
    /// Internal id.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Owner (none for anonymous rooms).
    pub owner: Option<UserId>,
    /// Settings.
    pub settings: RoomSettings,
    /// Creation time (Unix ms).
    pub now: i64,
}

/// A change to a room; `None` keeps the value.
#[derive(Clone, Debug, Default)]
pub struct RoomPatch {
    /// New name.
    pub name: Option<String>,
    /// New access level.
    pub access: Option<AccessLevel>,
    /// New cap.
    pub max_participants: Option<u32>,
    /// Lock or unlock.
    pub locked: Option<bool>,
    /// New publish policy.
    pub publish: Option<PublishPolicy>,
    /// New date (`Some(None)` clears it).
    pub scheduled_at: Option<Option<i64>>,
}

/// A user with a role on a room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The account.
    pub user: User,
    /// The role.
    pub role: RoomRole,
}

const ROOM_COLUMNS: &str = "r.id, r.slug, r.name, r.access, r.max_participants, r.locked, r.publish_camera, \
    r.publish_microphone, r.publish_screen_share, r.scheduled_at, r.created_at, r.last_used_at, r.ended_at";

fn room_from_row(r: &AnyRow) -> Result<RoomRecord> {
    let max: i64 = r.try_get("max_participants")?;
    Ok(RoomRecord {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        settings: RoomSettings {
            access: parse("access", &r.try_get::<String, _>("access")?)?,
            max_participants: u32::try_from(max)
                .map_err(|_| StoreError::Corrupt(format!("max_participants = {max}")))?,
            locked: flag(r.try_get("locked")?),
            publish: PublishPolicy {
                camera: parse("publish_camera", &r.try_get::<String, _>("publish_camera")?)?,
                microphone: parse("publish_microphone", &r.try_get::<String, _>("publish_microphone")?)?,
                screen_share: parse("publish_screen_share", &r.try_get::<String, _>("publish_screen_share")?)?,
            },
            scheduled_at: r.try_get("scheduled_at")?,
        },
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
        ended_at: r.try_get("ended_at")?,
    })
}

impl Store {
    /// Creates a room (and its owner's role); `Conflict("slug")` when the slug is taken.
    pub async fn create_room(&self, n: NewRoom) -> Result<RoomRecord> {
        let mut tx = self.pool.begin().await?;
        let s = &n.settings;
        sqlx::query(
            "INSERT INTO rooms (id, slug, name, access, max_participants, locked, publish_camera, publish_microphone, \
             publish_screen_share, scheduled_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(n.id.clone())
        .bind(n.slug.clone())
        .bind(n.name.clone())
        .bind(s.access.as_str())
        .bind(i64::from(s.max_participants))
        .bind(i64::from(s.locked))
        .bind(s.publish.camera.as_str())
        .bind(s.publish.microphone.as_str())
        .bind(s.publish.screen_share.as_str())
        .bind(s.scheduled_at)
        .bind(n.now)
        .execute(&mut *tx)
        .await
        .map_err(unique("slug"))?;
        if let Some(owner) = &n.owner {
            sqlx::query("INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, $3)")
                .bind(n.id.clone())
                .bind(owner.as_str().to_string())
                .bind(RoomRole::Owner.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(RoomRecord {
            id: n.id,
            slug: n.slug,
            name: n.name,
            settings: n.settings,
            created_at: n.now,
            last_used_at: None,
            ended_at: None,
        })
    }

    /// A room by slug.
    pub async fn room(&self, slug: &str) -> Result<RoomRecord> {
        self.room_where("slug", slug).await
    }

    /// A room by internal id.
    pub async fn room_by_id(&self, id: &str) -> Result<RoomRecord> {
        self.room_where("id", id).await
    }

    /// The room whose `column` (`slug` or `id`, both unique) is `value`.
    async fn room_where(&self, column: &'static str, value: &str) -> Result<RoomRecord> {
        let row = sqlx::query(sql!("SELECT {ROOM_COLUMNS} FROM rooms r WHERE r.{column} = $1"))
            .bind(value.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        room_from_row(&row)
    }

    /// Applies a change and returns the room as it now is.
    pub async fn update_room(&self, slug: &str, p: &RoomPatch) -> Result<RoomRecord> {
        let mut room = self.room(slug).await?;
        if let Some(n) = &p.name {
            room.name = n.clone();
        }
        let s = &mut room.settings;
        if let Some(a) = p.access {
            s.access = a;
        }
        if let Some(m) = p.max_participants {
            s.max_participants = m;
        }
        if let Some(l) = p.locked {
            s.locked = l;
        }
        if let Some(pp) = p.publish {
            s.publish = pp;
        }
        if let Some(at) = p.scheduled_at {
            s.scheduled_at = at;
        }
        sqlx::query(
            "UPDATE rooms SET name = $1, access = $2, max_participants = $3, locked = $4, publish_camera = $5, \
             publish_microphone = $6, publish_screen_share = $7, scheduled_at = $8 WHERE id = $9",
        )
        .bind(room.name.clone())
        .bind(s.access.as_str())
        .bind(i64::from(s.max_participants))
        .bind(i64::from(s.locked))
        .bind(s.publish.camera.as_str())
        .bind(s.publish.microphone.as_str())
        .bind(s.publish.screen_share.as_str())
        .bind(s.scheduled_at)
        .bind(room.id.clone())
        .execute(&self.pool)
        .await?;
        Ok(room)
    }

    /// Deletes a room with its roles and bans.
    pub async fn delete_room(&self, slug: &str) -> Result<()> {
        let r = sqlx::query("DELETE FROM rooms WHERE slug = $1").bind(slug.to_string()).execute(&self.pool).await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Records that a meeting started in the room.
    pub async fn touch_room(&self, room_id: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE rooms SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(room_id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A host ended the meeting for everyone: tokens issued before `now` stop opening the room,
    /// and the people kept out of this meeting may come to the next one.
    pub async fn end_meeting(&self, room_id: &str, now: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE rooms SET ended_at = $1 WHERE id = $2")
            .bind(now)
            .bind(room_id.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM room_bans WHERE room_id = $1").bind(room_id.to_string()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rooms where `user` has a role, most recently used (or created) first.
    pub async fn rooms_of_user(&self, user: &UserId) -> Result<Vec<(RoomRecord, RoomRole)>> {
        let rows = sqlx::query(sql!(
            "SELECT {ROOM_COLUMNS}, m.role FROM rooms r JOIN room_members m ON m.room_id = r.id \
             WHERE m.user_id = $1 ORDER BY COALESCE(r.last_used_at, r.created_at) DESC, r.slug LIMIT 500"
        ))
        .bind(user.as_str().to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((room_from_row(r)?, parse("role", &r.try_get::<String, _>("role")?)?))).collect()
    }

    /// All rooms, most recently used first (bearer `roomList`).
    pub async fn all_rooms(&self, limit: i64) -> Result<Vec<RoomRecord>> {
        let rows = sqlx::query(sql!(
            "SELECT {ROOM_COLUMNS} FROM rooms r ORDER BY COALESCE(r.last_used_at, r.created_at) DESC, r.slug LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(room_from_row).collect()
    }

    /// The role of a user on a room.
    pub async fn role(&self, room_id: &str, user: &UserId) -> Result<Option<RoomRole>> {
        let row = sqlx::query("SELECT role FROM room_members WHERE room_id = $1 AND user_id = $2")
            .bind(room_id.to_string())
            .bind(user.as_str().to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| parse("role", &r.try_get::<String, _>("role")?)).transpose()
    }

    /// Gives a user the admin or member role. The owner's role is changed only by
    /// [`Store::transfer_owner`].
    pub async fn set_role(&self, room_id: &str, user: &UserId, role: RoomRole) -> Result<()> {
        if role == RoomRole::Owner {
            return Err(StoreError::Rule("ownership is handed over, not granted"));
        }
        if self.role(room_id, user).await? == Some(RoomRole::Owner) {
            return Err(StoreError::Rule("owner_required"));
        }
        let updated = sqlx::query("UPDATE room_members SET role = $1 WHERE room_id = $2 AND user_id = $3")
            .bind(role.as_str())
            .bind(room_id.to_string())
            .bind(user.as_str().to_string())
            .execute(&self.pool)
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, $3)")
                .bind(room_id.to_string())
                .bind(user.as_str().to_string())
                .bind(role.as_str())
                .execute(&self.pool)
                .await
                .map_err(unique("member"))?;
        }
        Ok(())
    }

    /// Takes a user's role away; the owner cannot be removed.
    pub async fn remove_member(&self, room_id: &str, user: &UserId) -> Result<()> {
        match self.role(room_id, user).await? {
            None => Err(StoreError::NotFound),
            Some(RoomRole::Owner) => Err(StoreError::Rule("owner_required")),
            Some(_) => {
                sqlx::query("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2 AND role <> 'owner'")
                    .bind(room_id.to_string())
                    .bind(user.as_str().to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// Hands ownership to `new_owner`; the previous owner becomes an admin.
    pub async fn transfer_owner(&self, room_id: &str, new_owner: &UserId) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE room_members SET role = 'admin' WHERE room_id = $1 AND role = 'owner'")
            .bind(room_id.to_string())
            .execute(&mut *tx)
            .await?;
        let updated = sqlx::query("UPDATE room_members SET role = 'owner' WHERE room_id = $1 AND user_id = $2")
            .bind(room_id.to_string())
            .bind(new_owner.as_str().to_string())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, 'owner')")
                .bind(room_id.to_string())
                .bind(new_owner.as_str().to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Users with a role on the room, owner first.
    pub async fn members(&self, room_id: &str) -> Result<Vec<Member>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.name, u.email, u.is_admin, u.created_at, m.role FROM room_members m \
             JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 \
             ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.name",
        )
        .bind(room_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(Member { user: user_from_row(r)?, role: parse("role", &r.try_get::<String, _>("role")?)? }))
            .collect()
    }

    /// Keeps an identity out of the room until the meeting is ended.
    pub async fn ban(&self, room_id: &str, identity: &Identity, now: i64) -> Result<()> {
        let r = sqlx::query("INSERT INTO room_bans (room_id, identity, created_at) VALUES ($1, $2, $3)")
            .bind(room_id.to_string())
            .bind(identity.as_str().to_string())
            .bind(now)
            .execute(&self.pool)
            .await;
        match r.map_err(unique("ban")) {
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Whether an identity is kept out of the room.
    pub async fn is_banned(&self, room_id: &str, identity: &Identity) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM room_bans WHERE room_id = $1 AND identity = $2")
            .bind(room_id.to_string())
            .bind(identity.as_str().to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }
}
