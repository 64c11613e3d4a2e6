"""Views for posts; only the author or an admin may change a post."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.forms import ConfirmForm, PostForm
from webapp.models import Post
from webapp.posts import bp
from webapp.posts.queries import newest_first_page


def visible_posts():
    """Published posts, plus the viewer's own drafts (all drafts for an admin)."""
    query = select(Post)
    if not current_user.is_authenticated:
        return query.where(Post.is_published.is_(True))
    if current_user.is_admin:
        return query
    return query.where(or_(Post.is_published.is_(True), Post.author_id == current_user.id))


def get_visible_post_or_404(post_id: int) -> Post:
    """The post if the viewer may read it; a draft of someone else's is a 404, not a 403."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    if not post.is_published and not post.can_be_changed_by(current_user):
        abort(404)
    return post


def get_changeable_post(post_id: int) -> Post:
    """The post if the viewer may change it; 404 when missing, 403 when not theirs."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    if not post.can_be_changed_by(current_user):
        abort(403)
    return post


@bp.route("")
def index() -> ResponseReturnValue:
    """All posts the viewer may read, newest first, ten to a page."""
    posts, pager = newest_first_page(visible_posts(), current_app.config["POSTS_PER_PAGE"])
    return render_template("posts/index.html", posts=posts, pager=pager)


@bp.route("/<int:post_id>")
def show(post_id: int) -> ResponseReturnValue:
    """One post."""
    post = get_visible_post_or_404(post_id)
    return render_template("posts/show.html", post=post,
                           can_change=post.can_be_changed_by(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> ResponseReturnValue:
    """Write a new post."""
    form = PostForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("posts/form.html", form=form, post=None), status
    post = Post(title=form.title.data.strip(), content=form.content.data,
                is_published=not form.draft.data, author_id=current_user.id)
    db.session.add(post)
    db.session.commit()
    flash("Post created.", "success")
    return redirect(url_for("posts.show", post_id=post.id))


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int) -> ResponseReturnValue:
    """Change a post's title, content or visibility."""
    post = get_changeable_post(post_id)
    form = PostForm(obj=post)
    if request.method == "GET":
        form.draft.data = not post.is_published
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("posts/form.html", form=form, post=post), status
    post.title = form.title.data.strip()
    post.content = form.content.data
    post.is_published = not form.draft.data
    db.session.commit()
    flash("Post updated.", "success")
    return redirect(url_for("posts.show", post_id=post.id))


@bp.route("/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int) -> ResponseReturnValue:
    """Ask for confirmation (GET), then delete the post (POST)."""
    post = get_changeable_post(post_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("posts/delete.html", post=post, form=form)
    if not form.validate_on_submit():
        abort(400, "The form has expired; please try again.")
    db.session.delete(post)
    db.session.commit()
    flash("Post deleted.", "success")
    return redirect(url_for("main.dashboard"))
