//! Files through the onion against the loopback network's file server: raw round trips,
//! attachments (and what happens when they are tampered with), avatars, extend, progress,
//! and direct mode.

use std::time::Duration;

use session_crypto::SymmetricKey;
use session_localnet::LocalNet;
use session_protocol::attachment::{AttachmentError, Padding};
use session_swarm::client::{ClientOptions, SwarmClient, TransportKind};
use session_swarm::files::{FileClient, FileError, FileLocation, FileServer, Phase, progress};
use session_swarm::net::SeedConfig;

const MIB: usize = 1024 * 1024;

async fn start() -> LocalNet {
    LocalNet::builder()
        .nodes(6)
        .swarms(2)
        .seed([9; 32])
        .rate_limit(false)
        .start()
        .await
        .unwrap()
}

fn options(transport: TransportKind) -> ClientOptions {
    let mut options = ClientOptions::default();
    options.transport = transport;
    // Every local node is on 127.0.0.1: one /24.
    options.onion.ignore_subnets = true;
    options.seed = SeedConfig::once(Duration::from_secs(5));
    options
}

async fn files_over(net: &LocalNet, transport: TransportKind) -> FileClient {
    let swarm = SwarmClient::connect(crate::common::network(net), options(transport))
        .await
        .unwrap();
    let info = net.file_server();
    let server = FileServer::new(&info.url, info.x25519)
        .unwrap()
        .with_ed25519(info.ed25519);
    FileClient::new(swarm, server)
        .unwrap()
        .with_timeout(Duration::from_secs(30))
}

async fn files(net: &LocalNet) -> FileClient {
    files_over(net, TransportKind::Onion).await
}

/// Bytes that are not all alike, so padding or truncation mistakes show.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_and_download_through_the_onion() {
    let net = start().await;
    let files = files(&net).await;
    let data = b"raw bytes, not encrypted".to_vec();
    let uploaded = files.upload(&data, progress::ignore).await.unwrap();
    // It went through the onion: two 3-hop paths are built.
    let paths = files.swarm().paths();
    assert_eq!(paths.len(), 2);
    assert!(paths.iter().all(|path| path.len() == 3));
    assert_eq!(uploaded.id.len(), 44);
    let info = net.file_server();
    assert_eq!(
        uploaded.url,
        format!(
            "{}/file/{}#p={}",
            info.url,
            uploaded.id,
            hex::encode(info.ed25519)
        )
    );
    assert!(uploaded.expires.unwrap() > std::time::SystemTime::now());

    // By URL and by id.
    assert_eq!(
        files
            .download(&uploaded.url, progress::ignore)
            .await
            .unwrap(),
        data
    );
    assert_eq!(
        files
            .download(&uploaded.id, progress::ignore)
            .await
            .unwrap(),
        data
    );

    // A file that is not there is a typed 404.
    let missing = files.download("doesnotexist", progress::ignore).await;
    assert!(matches!(missing, Err(FileError::NotFound)), "{missing:?}");
    // An id that could reach another endpoint is refused before anything is sent.
    let sneaky = files.download("../session_version", progress::ignore).await;
    assert!(
        matches!(sneaky, Err(FileError::InvalidUrl(_))),
        "{sneaky:?}"
    );
    assert!(matches!(
        files.upload(&[], progress::ignore).await,
        Err(FileError::Empty)
    ));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_round_trip_is_byte_exact() {
    let net = start().await;
    let files = files(&net).await;
    for len in [1, 13, 541, 542, 4096, 100_000] {
        let plaintext = pattern(len);
        let sent = files
            .upload_attachment(
                &plaintext,
                Some("image/png"),
                Padding::Desktop,
                progress::ignore,
            )
            .await
            .unwrap();
        let pointer = &sent.pointer;
        assert_eq!(pointer.size, Some(u32::try_from(len).unwrap()));
        assert_eq!(pointer.key.as_ref().map(Vec::len), Some(64));
        assert_eq!(pointer.digest.as_ref().map(Vec::len), Some(32));
        assert_eq!(pointer.content_type.as_deref(), Some("image/png"));
        assert_eq!(pointer.url.as_deref(), Some(sent.file.url.as_str()));
        assert_eq!(pointer.id, 0);
        // The key never shows in Debug.
        assert!(format!("{pointer:?}").contains("<redacted>"));

        // What the server holds is the padded, encrypted blob, not the plaintext.
        let blob = files
            .download(&sent.file.id, progress::ignore)
            .await
            .unwrap();
        assert!(blob.len() >= 16 + 541 + 32);
        assert_ne!(&blob[..], &plaintext[..]);

        let back = files
            .download_attachment(pointer, progress::ignore)
            .await
            .unwrap();
        assert_eq!(back, plaintext, "{len} bytes");
    }

    // Link-preview images go unpadded.
    let sent = files
        .upload_attachment(b"tiny", None, Padding::None, progress::ignore)
        .await
        .unwrap();
    let blob = files
        .download(&sent.file.id, progress::ignore)
        .await
        .unwrap();
    assert_eq!(blob.len(), 16 + 16 + 32);
    assert_eq!(
        files
            .download_attachment(&sent.pointer, progress::ignore)
            .await
            .unwrap(),
        b"tiny"
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_attachments_are_refused_with_typed_errors() {
    let net = start().await;
    let files = files(&net).await;
    let plaintext = pattern(2000);
    let sent = files
        .upload_attachment(
            &plaintext,
            Some("application/pdf"),
            Padding::Desktop,
            progress::ignore,
        )
        .await
        .unwrap();

    // The ciphertext altered on the server (uploaded again with one bit flipped).
    let mut blob = files
        .download(&sent.file.id, progress::ignore)
        .await
        .unwrap();
    blob[100] ^= 1;
    let tampered = files.upload(&blob, progress::ignore).await.unwrap();
    let mut pointer = sent.pointer.clone();
    pointer.url = Some(tampered.url.clone());
    let error = files
        .download_attachment(&pointer, progress::ignore)
        .await
        .unwrap_err();
    assert!(
        matches!(error, FileError::Attachment(AttachmentError::MacMismatch)),
        "{error:?}"
    );

    // The digest altered in the message.
    let mut pointer = sent.pointer.clone();
    pointer.digest.as_mut().unwrap()[0] ^= 1;
    let error = files
        .download_attachment(&pointer, progress::ignore)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            FileError::Attachment(AttachmentError::DigestMismatch)
        ),
        "{error:?}"
    );

    // No digest at all.
    let mut pointer = sent.pointer.clone();
    pointer.digest = None;
    let error = files
        .download_attachment(&pointer, progress::ignore)
        .await
        .unwrap_err();
    assert!(
        matches!(error, FileError::Attachment(AttachmentError::MissingDigest)),
        "{error:?}"
    );

    // A size beyond what the file holds.
    let mut pointer = sent.pointer.clone();
    pointer.size = Some(100_000);
    let error = files
        .download_attachment(&pointer, progress::ignore)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            FileError::Attachment(AttachmentError::SizeMismatch { size: 100_000, .. })
        ),
        "{error:?}"
    );

    // Another key.
    let mut pointer = sent.pointer.clone();
    pointer.key.as_mut().unwrap()[40] ^= 1;
    let error = files
        .download_attachment(&pointer, progress::ignore)
        .await
        .unwrap_err();
    assert!(
        matches!(error, FileError::Attachment(AttachmentError::MacMismatch)),
        "{error:?}"
    );

    // Pointers missing what download needs are refused before anything is fetched.
    let mut pointer = sent.pointer.clone();
    pointer.size = None;
    assert!(matches!(
        files.download_attachment(&pointer, progress::ignore).await,
        Err(FileError::IncompletePointer("size"))
    ));
    let mut pointer = sent.pointer.clone();
    pointer.key = Some(vec![0; 32]);
    assert!(matches!(
        files.download_attachment(&pointer, progress::ignore).await,
        Err(FileError::Attachment(AttachmentError::KeyLength { .. }))
    ));
    let mut pointer = sent.pointer.clone();
    pointer.url = None;
    assert!(matches!(
        files.download_attachment(&pointer, progress::ignore).await,
        Err(FileError::IncompletePointer("url"))
    ));

    // The original still decrypts.
    assert_eq!(
        files
            .download_attachment(&sent.pointer, progress::ignore)
            .await
            .unwrap(),
        plaintext
    );
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_mebibyte_file_and_attachment() {
    let net = start().await;
    let files = files(&net).await;
    let data = pattern(MIB);
    let uploaded = files.upload(&data, progress::ignore).await.unwrap();
    let back = files
        .download(&uploaded.url, progress::ignore)
        .await
        .unwrap();
    assert!(back == data, "1 MiB raw file came back different");

    let sent = files
        .upload_attachment(&data, Some("video/mp4"), Padding::Desktop, progress::ignore)
        .await
        .unwrap();
    let back = files
        .download_attachment(&sent.pointer, progress::ignore)
        .await
        .unwrap();
    assert!(back == data, "1 MiB attachment came back different");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_reported_per_phase() {
    let net = start().await;
    let files = files(&net).await;
    let plaintext = pattern(5000);

    let mut seen = Vec::new();
    let sent = files
        .upload_attachment(&plaintext, None, Padding::Desktop, |p| seen.push(p))
        .await
        .unwrap();
    let phases: Vec<Phase> = seen.iter().map(|p| p.phase).collect();
    assert_eq!(
        phases,
        [Phase::Encrypting, Phase::Uploading, Phase::Uploaded]
    );
    assert_eq!((seen[0].done, seen[0].total), (0, 5000));
    let blob_len = seen[2].total;
    assert!(blob_len > 5000);
    assert_eq!(seen[1].total, blob_len);
    assert_eq!(seen[2].done, blob_len);

    // The watch-style reporter sees the last report.
    let (sender, receiver) = tokio::sync::watch::channel(None);
    let back = files
        .download_attachment(&sent.pointer, progress::to_watch(sender))
        .await
        .unwrap();
    assert_eq!(back, plaintext);
    let last = receiver.borrow().unwrap();
    assert_eq!(last.phase, Phase::Decrypted);
    assert_eq!((last.done, last.total), (5000, 5000));

    let mut seen = Vec::new();
    files
        .download_attachment(&sent.pointer, |p| seen.push(p))
        .await
        .unwrap();
    let phases: Vec<Phase> = seen.iter().map(|p| p.phase).collect();
    assert_eq!(
        phases,
        [
            Phase::Downloading,
            Phase::Downloaded,
            Phase::Decrypting,
            Phase::Decrypted
        ]
    );
    assert_eq!(seen[1].done, blob_len);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extend_and_avatars() {
    let net = start().await;
    let files = files(&net).await;
    let profile_key = SymmetricKey::from_bytes([5; 32]);
    let image = pattern(3000);
    let uploaded = files
        .upload_avatar(&profile_key, &image, progress::ignore)
        .await
        .unwrap();
    assert_eq!(
        files
            .download_avatar(&uploaded.url, &profile_key, progress::ignore)
            .await
            .unwrap(),
        image
    );
    let wrong = SymmetricKey::from_bytes([6; 32]);
    assert!(matches!(
        files
            .download_avatar(&uploaded.url, &wrong, progress::ignore)
            .await,
        Err(FileError::Attachment(AttachmentError::AvatarAuthentication))
    ));

    // Clients extend avatars daily: by URL or id, the expiry never moves earlier.
    let extended = files.extend(&uploaded.url).await.unwrap();
    assert!(extended.expires >= uploaded.expires.unwrap());
    assert_eq!(extended.size, Some(12 + 3000 + 16));
    assert!(extended.uploaded.is_some());
    let again = files.extend(&uploaded.id).await.unwrap();
    assert!(again.expires >= extended.expires);
    assert!(matches!(
        files.extend("doesnotexist").await,
        Err(FileError::NotFound)
    ));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_naming_another_server_need_its_key() {
    let net = start().await;
    let files = files(&net).await;
    let uploaded = files.upload(b"elsewhere", progress::ignore).await.unwrap();

    // A client set up for Session's own server reaches the local one through the URL's
    // `#p=` key.
    let info = net.file_server();
    let swarm = files.swarm().clone();
    let mainnet_files = FileClient::new(swarm, FileServer::SESSION).unwrap();
    assert_eq!(
        FileLocation::parse(&uploaded.url).unwrap().server_ed25519,
        Some(info.ed25519)
    );
    assert_eq!(
        mainnet_files
            .download(&uploaded.url, progress::ignore)
            .await
            .unwrap(),
        b"elsewhere"
    );
    // Without a key there is nothing to encrypt the onion to.
    let keyless = format!("{}/file/{}", info.url, uploaded.id);
    assert!(matches!(
        mainnet_files.download(&keyless, progress::ignore).await,
        Err(FileError::InvalidUrl(_))
    ));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_mode_talks_http_to_the_server() {
    let net = start().await;
    let files = files_over(&net, TransportKind::Direct).await;
    let plaintext = pattern(777);
    let sent = files
        .upload_attachment(
            &plaintext,
            Some("text/plain"),
            Padding::Desktop,
            progress::ignore,
        )
        .await
        .unwrap();
    assert_eq!(
        files
            .download_attachment(&sent.pointer, progress::ignore)
            .await
            .unwrap(),
        plaintext
    );
    assert!(matches!(
        files.download("doesnotexist", progress::ignore).await,
        Err(FileError::NotFound)
    ));
    net.shutdown().await;
}
