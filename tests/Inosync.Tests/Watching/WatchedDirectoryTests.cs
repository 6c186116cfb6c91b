using Inosync.Watching.Inotify;

namespace Inosync.Tests.Watching;

public sealed class WatchedDirectoryTests
{
    private readonly WatchedDirectory _root = new(1, "", null);

    [Fact]
    public void Paths_are_built_from_the_names_up_to_the_root()
    {
        WatchedDirectory a = Child(_root, 2, "a");
        WatchedDirectory b = Child(a, 3, "b c");

        _root.Path.Should().Be("");
        _root.PathTo("f").Should().Be("f");
        a.Path.Should().Be("a");
        a.PathTo("f").Should().Be("a/f");
        b.Path.Should().Be("a/b c");
        b.PathTo("\udcff").Should().Be("a/b c/\udcff");
        b.PathTo("").Should().Be("a/b c");
    }

    [Fact]
    public void A_moved_directory_and_everything_below_it_have_their_new_paths_at_once()
    {
        WatchedDirectory a = Child(_root, 2, "a");
        WatchedDirectory b = Child(a, 3, "b");
        WatchedDirectory c = Child(b, 4, "c");
        WatchedDirectory x = Child(_root, 5, "x");

        b.DetachFromParent();
        b.Parent = x;
        b.Name = "renamed";
        (x.Children ??= new(StringComparer.Ordinal))["renamed"] = b;

        c.Path.Should().Be("x/renamed/c");
        a.Children.Should().BeEmpty();
        x.Subtree().Should().Equal(x, b, c);
    }

    [Fact]
    public void Marks_are_kept_and_cleared()
    {
        WatchedDirectory a = Child(_root, 2, "a");
        a.Unwatched.Should().BeNull();
        a.Missed = null; // no marks: nothing to hold
        a.Missed.Should().BeNull();

        a.MarkExcluded("tmp");
        a.Unwatched = new HashSet<string>(StringComparer.Ordinal) { "locked" };

        a.ExcludedChildren.Should().Equal("tmp");
        a.Unwatched.Should().Equal("locked");
        a.Missed.Should().BeNull();
        a.ExcludedChildren = null;
        a.ExcludedChildren.Should().BeNull();
        a.Unwatched.Should().Equal("locked");
    }

    private static WatchedDirectory Child(WatchedDirectory parent, int wd, string name)
    {
        var child = new WatchedDirectory(wd, name, parent);
        (parent.Children ??= new(StringComparer.Ordinal))[name] = child;
        return child;
    }
}
