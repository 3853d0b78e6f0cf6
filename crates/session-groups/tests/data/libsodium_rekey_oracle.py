# Independent oracle: libsodium (via ctypes) re-implementation of libsession's rekey and
# key_supplement, following keys.cpp, to cross-check the Rust bytes.
import ctypes, hashlib, json, sys
s = ctypes.CDLL("libsodium.so.23"); assert s.sodium_init() >= 0
B = lambda n: ctypes.create_string_buffer(n)
def ed_kp(seed):
    pk, sk = B(32), B(64); s.crypto_sign_ed25519_seed_keypair(pk, sk, seed); return pk.raw, sk.raw
def ed_to_x_pk(pk):
    x = B(32); assert s.crypto_sign_ed25519_pk_to_curve25519(x, pk) == 0; return x.raw
def ed_to_x_sk(sk):
    x = B(32); s.crypto_sign_ed25519_sk_to_curve25519(x, sk); return x.raw
def dh(sk, pk):
    o = B(32); assert s.crypto_scalarmult_curve25519(o, sk, pk) == 0; return o.raw
def xenc(key, nonce, msg):
    out = B(len(msg) + 16); ol = ctypes.c_ulonglong()
    s.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(ol), msg, ctypes.c_ulonglong(len(msg)), None, ctypes.c_ulonglong(0), None, nonce, key)
    return out.raw
def drbg(n, seed):
    o = B(n); s.randombytes_buf_deterministic(o, ctypes.c_size_t(n), seed); return o.raw
def sign(msg, sk):
    o = B(64); s.crypto_sign_ed25519_detached(o, None, msg, ctypes.c_ulonglong(len(msg)), sk); return o.raw
def h(n, key, *parts): return hashlib.blake2b(b"".join(parts), digest_size=n, key=key).digest()
def bs(b): return str(len(b)).encode() + b":" + b
def bi(i): return b"i%de" % i
def user(n):
    seed = n.to_bytes(4, "little") + bytes(27) + b"\x55"; return ed_kp(seed)

gseed = bytes([0x42]) * 32
gpk, gsk = ed_kp(gseed)
gxpk, gxsk = ed_to_x_pk(gpk), ed_to_x_sk(gsk)
members = sorted("05" + ed_to_x_pk(user(n)[0]).hex() for n in range(4))
def member_copy(msg, nonce, sid):
    B_ = bytes.fromhex(sid[2:])
    k = h(32, b"SessionGroupKeyMemberKey", dh(gxsk, B_), gxpk, B_)
    return xenc(k, nonce, msg)
def rekey(gen):
    h2 = h(32, b"SessionGroupKeySeed", gseed)
    h1 = h(56, b"SessionGroupKeyGen", *[m.encode() for m in members], str(gen).encode(), h2)
    key, nonce = h1[:32], h1[32:]
    K = xenc(h(32, b"SessionGroupKeyAdminKey", gseed), nonce, key)
    copies = [member_copy(key, nonce, m) for m in members]
    njunk = (75 - len(copies) % 75) % 75
    junk = drbg(48 * njunk, h(32, b"SessionGroupJunkMembers", h1, gsk))
    copies += [junk[i*48:(i+1)*48] for i in range(njunk)]
    d = b"d" + bs(b"#") + bs(nonce) + bs(b"G") + bi(gen) + bs(b"K") + bs(K) + bs(b"k") + b"l" + b"".join(bs(c) for c in copies) + b"e"
    return d + bs(b"~") + bs(sign(d, gsk)) + b"e", key
def supplement(keys, sids):
    inner = b"l" + b"".join(b"d" + bs(b"g") + bi(g) + bs(b"k") + bs(k) + bs(b"t") + bi(t) + b"e" for g, k, t in keys) + b"e"
    h2 = h(32, b"SessionGroupKeySeed", gseed)
    nonce = h(24, b"SessionGroupKeyGen", *[x.encode() for x in sids], inner, h2)
    copies = [member_copy(inner, nonce, x) for x in sids]
    d = b"d" + bs(b"#") + bs(nonce) + bs(b"+") + b"l" + b"".join(bs(c) for c in copies) + b"e" + bs(b"G") + bi(keys[-1][0])
    return d + bs(b"~") + bs(sign(d, gsk)) + b"e"
m0, k0 = rekey(0)
m1, k1 = rekey(1)
newcomer = "05" + ed_to_x_pk(user(9)[0]).hex()
sup = supplement([(0, k0, 1700000000000), (1, k1, 1700000000005)], [newcomer])
json.dump({"generator": "tests/data/libsodium_rekey_oracle.py", "description": "Cross-check computed by an independent Python re-implementation of libsession keys.cpp (rekey, key_supplement) over the system libsodium via ctypes; not a libsession test vector.",
           "group_seed_hex": gseed.hex(), "members": members, "newcomer": newcomer,
           "rekey0_hex": m0.hex(), "key0_hex": k0.hex(), "rekey1_hex": m1.hex(), "key1_hex": k1.hex(),
           "supplement_timestamps_ms": [1700000000000, 1700000000005], "supplement_hex": sup.hex()}, open(sys.argv[1], "w"), indent=1)
print(len(m0), len(sup))

# A group message as libsession's encrypt_for_group writes it (uncompressed, padding 256,
# fixed nonce), sent by user(1) under key1.
def group_message(sender_sk, sender_pk, key, data, nonce):
    sig = sign(data + gpk, sender_sk)
    d = b"d" + bs(b"") + bi(1) + bs(b"a") + bs(sender_pk) + bs(b"d") + bs(data) + bs(b"s") + bs(sig) + b"e"
    total = 40 + len(d)
    if total % 256: d += bytes(256 - total % 256)
    return nonce + xenc(key, nonce, d)
upk, usk = user(1)
gm = group_message(usk, upk, k1, b"hello from libsodium", bytes(range(24)))
doc = json.load(open(sys.argv[1]))
doc.update({"group_message_hex": gm.hex(), "group_message_sender": "05" + ed_to_x_pk(upk).hex(), "group_message_plaintext_utf8": "hello from libsodium"})
json.dump(doc, open(sys.argv[1], "w"), indent=1)
