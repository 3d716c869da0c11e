using System.Text;
using KSync.Syncthing.Verify;

namespace KSync.Syncthing.Tests.Units;

/// <summary>The managed SHA-256 against the FIPS 180-2 examples and .NET's own implementation.</summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void HexOf_FipsExamples(string message, string digest)
        => Assert.Equal(digest, Sha256.HexOf(Encoding.ASCII.GetBytes(message)));

    [Fact]
    public void Append_MillionAInOddPieces_MatchesFipsExample()
    {
        var sha = new Sha256();
        var piece = Encoding.ASCII.GetBytes(new string('a', 999));
        for (var i = 0; i < 1000; i++)
        {
            sha.Append(piece);
        }

        sha.Append(Encoding.ASCII.GetBytes(new string('a', 1000)));

        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", sha.FinishHex());
    }

    [Theory]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200_000)]
    public void HexOf_LengthsAroundThePadding_MatchesDotNet(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), Sha256.HexOf(data));
    }
}
